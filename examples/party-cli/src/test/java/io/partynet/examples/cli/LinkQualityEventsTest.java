package io.partynet.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.ConnectionType;
import io.partynet.LinkQuality;
import io.partynet.Party;
import io.partynet.PartyConfig;
import io.partynet.PartyException;
import io.partynet.PartyListener;
import io.partynet.PartyManager;
import io.partynet.Peer;
import io.partynet.PeerStatus;
import io.partynet.testing.Eventually;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two managers in this JVM on the embedded backend (the real WireGuard tunnel over loopback) and the
 * local control plane: each is told {@code onLinkQuality} for the other, rate-limited, with figures
 * that match {@code status()}; {@code ping} measures a round trip through the tunnel.
 */
class LinkQualityEventsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration EVENT_INTERVAL = Duration.ofMillis(500);

  @TempDir Path dir;

  /** One {@code onLinkQuality} call. */
  record Told(Peer peer, LinkQuality quality, Instant at) {}

  private PartyManager member(String name, List<Told> told) {
    PartyConfig config = PartyConfig.builder().home(dir.resolve(name)).peerName(name).controlMode("local")
        .discoveryFile(dir.resolve("discovery.json")).networkBackend("embedded").listenPort(0)
        .requestTimeout(Duration.ofSeconds(5))
        .setting("embedded.bind-address", "127.0.0.1").setting("network.advertise-address", "127.0.0.1")
        .setting("link.probe-interval", "50ms").setting("link.event-interval", EVENT_INTERVAL.toMillis() + "ms")
        .build();
    return PartyManager.builder().config(config).listener(new PartyListener() {
      @Override
      public void onLinkQuality(Party party, Peer peer, LinkQuality quality) {
        told.add(new Told(peer, quality, Instant.now()));
      }
    }).build();
  }

  @Test
  void eachMemberIsToldTheOthersLinkQualityAndCanPingIt() throws Exception {
    List<Told> aliceTold = new CopyOnWriteArrayList<>();
    List<Told> bobTold = new CopyOnWriteArrayList<>();
    try (PartyManager alice = member("alice", aliceTold); PartyManager bob = member("bob", bobTold)) {
      Party party = alice.create("quality").get(20, TimeUnit.SECONDS);
      bob.join(party.id(), "bob").get(20, TimeUnit.SECONDS);
      String bobId = bob.myPeerId();

      Eventually.until(WAIT, () -> aliceTold.stream().anyMatch(t -> t.peer().id().equals(bobId)
          && t.quality().path() == ConnectionType.DIRECT && t.quality().rttMs() != null),
          () -> "alice was told bob's measured direct link; told: " + aliceTold);
      Eventually.until(WAIT, () -> bobTold.stream().anyMatch(t -> t.peer().id().equals(alice.myPeerId())
          && t.quality().rttMs() != null), () -> "bob was told alice's link; told: " + bobTold);
      Told first = aliceTold.stream().filter(t -> t.quality().rttMs() != null).findFirst().orElseThrow();
      assertEquals(first.quality().rttMs(), first.peer().latencyMs(), "the peer in the event carries the same round trip");
      assertTrue(first.quality().samples() > 0);

      PeerStatus bobStatus = alice.status().get(10, TimeUnit.SECONDS).peers().stream()
          .filter(s -> s.peer().id().equals(bobId)).findFirst().orElseThrow();
      assertNotNull(bobStatus.linkQuality(), "status carries the link quality");
      assertTrue(bobStatus.linkQuality().isMeasured());
      assertEquals(bobStatus.linkQuality().rttMs(), bobStatus.peer().latencyMs());
      PeerStatus self = alice.status().get(10, TimeUnit.SECONDS).peers().stream().filter(PeerStatus::self)
          .findFirst().orElseThrow();
      assertEquals(null, self.linkQuality(), "nothing is measured to oneself");

      double rtt = alice.ping(bobId, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
      assertTrue(rtt >= 0 && rtt < 5000, "round trip " + rtt);
      ExecutionException unknown = assertThrows(ExecutionException.class,
          () -> alice.ping("no-such-peer", Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS));
      assertEquals(PartyException.Reason.PEER_NOT_FOUND,
          assertInstanceOf(PartyException.class, unknown.getCause()).reason());
      ExecutionException self2 = assertThrows(ExecutionException.class,
          () -> alice.ping(alice.myPeerId(), Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS));
      assertEquals(PartyException.Reason.PEER_NOT_FOUND, ((PartyException) self2.getCause()).reason());

      // On one path, events about a member come at least the event interval apart (the rate limit).
      List<Told> aboutBob = aliceTold.stream().filter(t -> t.peer().id().equals(bobId)).toList();
      for (int i = 1; i < aboutBob.size(); i++) {
        LinkQuality before = aboutBob.get(i - 1).quality();
        LinkQuality after = aboutBob.get(i).quality();
        if (before.path() == after.path()) {
          assertFalse(after.measuredAt().isBefore(before.measuredAt().plus(EVENT_INTERVAL)),
              "two events within the interval: " + before + " then " + after);
        }
      }
    }
  }
}
