package io.partynet.server.internal.parties;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.partynet.LeaveReason;
import io.partynet.NatType;
import io.partynet.PartyException;
import io.partynet.Peer;
import io.partynet.core.internal.keys.WireGuardKeys;
import io.partynet.protocol.internal.IdempotencyKey;
import io.partynet.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bounds of {@link JoinKeys}: per membership, in total and in time. */
class JoinKeysTest {
  private final ManualClock clock = ManualClock.startingAt("2026-01-01T00:00:00Z");
  private final Peer guest = Peer.newMember("guest", "guest", WireGuardKeys.generateKeyPair().publicKey(), NatType.FULL_CONE, Instant.EPOCH);

  @Test
  void aMembershipKeepsItsLastKeysAndWithdrawsOlderOnesAtOnce() {
    JoinKeys keys = new JoinKeys(clock);
    List<IdempotencyKey> sent = new ArrayList<>();
    for (int i = 0; i <= JoinKeys.KEYS_PER_MEMBERSHIP; i++) {
      IdempotencyKey key = IdempotencyKey.random();
      keys.admitted("P", "guest", key);
      sent.add(key);
    }
    assertRefused(keys, sent.get(0));
    assertDoesNotThrow(() -> keys.requireNotWithdrawn("P", "guest", sent.get(1)));
    keys.onPeerLeft("P", guest, LeaveReason.LEFT);
    sent.forEach(k -> assertRefused(keys, k));
    assertEquals(sent.size(), keys.withdrawnCount());
  }

  @Test
  void theOldestWithdrawnKeysAreForgottenBeyondTheBound() {
    JoinKeys keys = new JoinKeys(clock, Duration.ofMinutes(10), 3);
    List<IdempotencyKey> sent = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      IdempotencyKey key = IdempotencyKey.random();
      keys.admitted("P", "guest", key);
      keys.onPeerLeft("P", guest, LeaveReason.KICKED);
      sent.add(key);
    }
    assertEquals(3, keys.withdrawnCount());
    assertDoesNotThrow(() -> keys.requireNotWithdrawn("P", "guest", sent.get(1)));
    assertRefused(keys, sent.get(2));
    clock.advance(Duration.ofMinutes(10));
    assertEquals(0, keys.withdrawnCount(), "forgotten after their time");
  }

  private static void assertRefused(JoinKeys keys, IdempotencyKey key) {
    PartyException e = assertThrows(PartyException.class, () -> keys.requireNotWithdrawn("P", "guest", key));
    assertEquals(PartyException.Reason.STALE_JOIN, e.reason());
  }
}
