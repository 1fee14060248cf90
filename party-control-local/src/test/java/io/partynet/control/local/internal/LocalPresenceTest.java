package io.partynet.control.local.internal;

import static io.partynet.testing.TestPeers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.partynet.Key;
import io.partynet.PartyConfig;
import io.partynet.PartyInfo;
import io.partynet.Peer;
import io.partynet.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local plane reports each member's last heartbeat (what {@code status()} shows as "last seen"). */
class LocalPresenceTest {
  @TempDir Path dir;
  private final ManualClock clock = ManualClock.startingAt("2026-01-01T00:00:00Z");

  private LocalControlPlane start(Peer as) throws Exception {
    PartyConfig config = PartyConfig.builder().home(dir.resolve(as.id())).discoveryFile(dir.resolve("discovery.json"))
        .build();
    LocalControlPlane plane = new LocalControlPlane(config, clock);
    plane.start(as.id(), Key.fromBase64(as.publicKey())).get(5, TimeUnit.SECONDS);
    return plane;
  }

  @Test
  void lastSeenFollowsHeartbeats() throws Exception {
    Peer host = peer("host");
    Peer guest = peer("guest");
    try (LocalControlPlane a = start(host); LocalControlPlane b = start(guest)) {
      Instant created = clock.instant();
      PartyInfo party = a.createParty("lan", host).get(5, TimeUnit.SECONDS);
      clock.advance(Duration.ofSeconds(5));
      b.joinParty(party.partyId(), guest).get(5, TimeUnit.SECONDS);
      clock.advance(Duration.ofSeconds(7));
      b.heartbeat(party.partyId(), "guest").get(5, TimeUnit.SECONDS);

      Map<String, Instant> seen = a.lastSeen(party.partyId()).get(5, TimeUnit.SECONDS);

      assertEquals(Map.of("host", created, "guest", created.plusSeconds(12)), seen);
      assertEquals(Map.of(), a.lastSeen("0000-0000-0000").get(5, TimeUnit.SECONDS));
    }
  }
}
