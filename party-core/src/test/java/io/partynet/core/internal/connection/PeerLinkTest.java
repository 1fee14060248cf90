package io.partynet.core.internal.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.ConnectionType;
import io.partynet.Key;
import io.partynet.spi.Backoff;
import io.partynet.spi.PeerStats;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class PeerLinkTest {
  private static final Key PEER = Key.fromBytes(new byte[32]);
  private static final LinkSettings SETTINGS =
      new LinkSettings(Duration.ofSeconds(10), Duration.ofSeconds(20));
  private static final Backoff NO_JITTER = new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(60), Backoff.Jitter.FULL, () -> 0.5);
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");

  private PeerStats stats(Instant handshake, long rx) {
    return new PeerStats(PEER, null, handshake, rx, 0);
  }

  private PeerLink.Step after(PeerLink link, int seconds, PeerStats stats) {
    now = now.plusSeconds(seconds);
    return link.observe(stats, now);
  }

  @Test
  void aHandshakeOnTheFirstPathMeansUpAndDirect() {
    PeerLink link = new PeerLink(List.of(PathKind.DIRECT, PathKind.RELAY), SETTINGS, NO_JITTER, now);
    assertEquals(PathKind.DIRECT, link.initialPath());
    assertEquals(ConnectionType.NONE, link.reported());
    PeerLink.Step step = after(link, 1, stats(now.plusSeconds(1), 148));
    assertEquals(PeerLink.State.UP, step.state());
    assertTrue(step.changed());
    assertEquals(ConnectionType.DIRECT, link.reported());
  }

  @Test
  void noHandshakeInTimeFallsBackToTheRelayThenUp() {
    PeerLink link = new PeerLink(List.of(PathKind.PUNCH, PathKind.RELAY), SETTINGS, NO_JITTER, now);
    assertEquals(PeerLink.State.CONNECTING, after(link, 5, stats(null, 0)).state());
    PeerLink.Step fallback = after(link, 6, stats(null, 0));
    assertEquals(PathKind.RELAY, fallback.configurePath());
    PeerLink.Step up = after(link, 2, stats(now.plusSeconds(2), 92));
    assertEquals(PeerLink.State.UP, up.state());
    assertEquals(ConnectionType.RELAY, link.reported());
  }

  @Test
  void silenceTakesTheLinkDownThenItRetriesWithBackoff() {
    PeerLink link = new PeerLink(List.of(PathKind.DIRECT), SETTINGS, NO_JITTER, now);
    Instant handshake = now.plusSeconds(1);
    after(link, 1, stats(handshake, 100));
    assertEquals(PeerLink.State.UP, after(link, 10, stats(handshake, 200)).state());
    PeerLink.Step down = after(link, 21, stats(handshake, 200));
    assertEquals(PeerLink.State.DOWN, down.state());
    assertEquals(ConnectionType.NONE, link.reported());
    // Backoff 0: ceiling 2 s * 0.5 = 1 s.
    PeerLink.Step retry = after(link, 1, stats(handshake, 200));
    assertEquals(PathKind.DIRECT, retry.configurePath());
    assertEquals(PeerLink.State.CONNECTING, retry.state());
    assertEquals(PeerLink.State.DOWN, after(link, 11, stats(handshake, 200)).state());
    // Retry 1 waits 2 s (ceiling 4 s * 0.5).
    assertNull(after(link, 1, stats(handshake, 200)).configurePath());
    assertEquals(PathKind.DIRECT, after(link, 1, stats(handshake, 200)).configurePath());
  }

  /**
   * Issue 16 item 4: a link down for three minutes (and far longer) keeps retrying, never more than
   * the backoff's cap apart, and comes up as soon as the peer answers again.
   */
  @Test
  void aLinkDownForHoursKeepsRetryingAtMostTheCapApartAndComesBack() {
    Backoff capped = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), Backoff.Jitter.NONE, () -> 0);
    PeerLink link = new PeerLink(List.of(PathKind.DIRECT), SETTINGS, capped, now);
    Instant handshake = now.plusSeconds(1);
    after(link, 1, stats(handshake, 100));
    assertEquals(PeerLink.State.DOWN, after(link, 21, stats(handshake, 100)).state());
    Instant wentDown = now;
    Instant lastRetry = now;
    int retries = 0;
    while (Duration.between(wentDown, now).compareTo(Duration.ofHours(2)) < 0) {
      PeerLink.Step step = after(link, 1, stats(handshake, 100));
      if (step.configurePath() != null) {
        assertTrue(Duration.between(lastRetry, now).compareTo(Duration.ofSeconds(30 + 11 + 1)) <= 0,
            "retry " + retries + " came " + Duration.between(lastRetry, now) + " after the last one");
        lastRetry = now;
        retries++;
      }
    }
    assertTrue(retries > 2 * 60 * 60 / (30 + 11), "it kept retrying for two hours: " + retries + " retries");
    PeerLink.Step back = after(link, 1, stats(now, 300));
    assertEquals(PeerLink.State.UP, back.state());
    assertEquals(ConnectionType.DIRECT, link.reported());
  }

  @Test
  void aDownLinkHealsWhenWireGuardHandshakesAgain() {
    PeerLink link = new PeerLink(List.of(PathKind.DIRECT), SETTINGS, new Backoff(Duration.ofMinutes(1),
        Duration.ofMinutes(1), Backoff.Jitter.FULL, () -> 0.99), now);
    Instant first = now.plusSeconds(1);
    after(link, 1, stats(first, 100));
    assertEquals(PeerLink.State.DOWN, after(link, 25, stats(first, 100)).state());
    PeerLink.Step healed = after(link, 3, stats(now.plusSeconds(3), 400));
    assertEquals(PeerLink.State.UP, healed.state());
  }

  /**
   * The link restarts when the peer publishes a new endpoint while the session carries traffic
   * (NatMatrixLabTest saw it: the joiner learnt its NAT mapping from the creator a second after the
   * handshake). No new handshake comes for two minutes, but the bytes that keep arriving say the
   * link works.
   */
  @Test
  void aRestartDuringALiveSessionIsUpOnceBytesArriveWithoutANewHandshake() {
    Instant handshake = now.minusSeconds(2);
    PeerLink link = new PeerLink(List.of(PathKind.PUNCH, PathKind.RELAY), SETTINGS, NO_JITTER, now);
    assertEquals(PeerLink.State.CONNECTING, after(link, 1, stats(handshake, 8_000)).state(),
        "the bytes counted before the attempt prove nothing");
    PeerLink.Step step = after(link, 1, stats(handshake, 8_148));
    assertEquals(PeerLink.State.UP, step.state());
    assertEquals(ConnectionType.DIRECT, link.reported());
  }

  @Test
  void bytesOnAnExpiredSessionDoNotMakeALinkUp() {
    Instant handshake = now.minus(LinkSettings.REJECT_AFTER_TIME);
    PeerLink link = new PeerLink(List.of(PathKind.PUNCH, PathKind.RELAY), SETTINGS, NO_JITTER, now);
    after(link, 1, stats(handshake, 8_000));
    assertEquals(PeerLink.State.CONNECTING, after(link, 1, stats(handshake, 9_000)).state());
  }

  @Test
  void anEmptyPlanIsDownFromTheStart() {
    PeerLink link = new PeerLink(List.of(), SETTINGS, NO_JITTER, now);
    assertEquals(PeerLink.State.DOWN, link.state());
    assertNull(link.initialPath());
    assertNull(after(link, 30, null).configurePath());
  }

  record Tick(int seconds, boolean handshake, int rxDelta) {}

  @Provide
  Arbitrary<List<Tick>> ticks() {
    return Combinators.combine(Arbitraries.integers().between(0, 40), Arbitraries.of(true, false),
        Arbitraries.integers().between(0, 500)).as(Tick::new).list().ofMaxSize(80);
  }

  @Property(tries = 300)
  void neverUpWithoutALiveSession(@ForAll("ticks") List<Tick> ticks) {
    PeerLink link = new PeerLink(List.of(PathKind.PUNCH, PathKind.RELAY), SETTINGS, NO_JITTER, now);
    Instant lastHandshake = null;
    long rx = 0;
    for (Tick t : ticks) {
      now = now.plusSeconds(t.seconds());
      if (t.handshake()) {
        lastHandshake = now;
      }
      rx += t.rxDelta();
      PeerLink.Step step = link.observe(new PeerStats(PEER, null, lastHandshake, rx, 0), now);
      if (step.state() == PeerLink.State.UP) {
        assertTrue(lastHandshake != null && Duration.between(lastHandshake, now).compareTo(LinkSettings.REJECT_AFTER_TIME) < 0,
            "UP needs a live session");
        assertTrue(link.reported() != ConnectionType.NONE);
      } else {
        assertEquals(ConnectionType.NONE, link.reported());
      }
    }
  }
}
