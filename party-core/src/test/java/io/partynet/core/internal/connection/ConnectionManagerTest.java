package io.partynet.core.internal.connection;

import static io.partynet.testing.TestPeers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.ConnectionType;
import io.partynet.Endpoint;
import io.partynet.Key;
import io.partynet.NatType;
import io.partynet.Peer;
import io.partynet.spi.Backoff;
import io.partynet.testing.ManualClock;
import io.partynet.spi.PeerStats;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConnectionManagerTest {
  private static final Endpoint ME = Endpoint.parse("203.0.113.1:51820");
  private static final Endpoint THEM = Endpoint.parse("198.51.100.2:40000");
  private static final Endpoint RELAY_PORT = Endpoint.parse("127.0.0.1:45000");
  private static final UpgradeSettings UPGRADES = new UpgradeSettings(Duration.ofSeconds(5), Duration.ofSeconds(20),
      Duration.ofSeconds(4), Duration.ofSeconds(5));

  private final ManualClock clock = ManualClock.startingAt("2026-01-01T00:00:00Z");
  private final List<String> configured = new ArrayList<>();
  private final List<String> punches = new ArrayList<>();
  private final List<String> relays = new ArrayList<>();
  private final List<String> changes = new ArrayList<>();
  private final Map<Key, PeerStats> stats = new HashMap<>();
  private boolean relayWaiting;

  private final ConnectionManager.DataPath dataPath = new ConnectionManager.DataPath() {
    @Override public void configure(Peer peer, Endpoint endpoint) { configured.add(peer.id() + "@" + endpoint); }
    @Override public void restart(Peer peer, Endpoint endpoint) { configured.add("restart " + peer.id() + "@" + endpoint); }
  };
  private final ConnectionManager.Relay relay = new ConnectionManager.Relay() {
    @Override public Endpoint open(Peer peer) throws IOException {
      relays.add("open " + peer.id());
      if (relayWaiting) {
        throw new IOException("waiting for " + peer.id() + "'s relayed address");
      }
      return RELAY_PORT;
    }
    @Override public void close(Peer peer) { relays.add("close " + peer.id()); }
  };
  private final ConnectionManager.Listener listener = new ConnectionManager.Listener() {
    @Override public void onConnectionChanged(Peer peer, ConnectionType type) { changes.add(peer.id() + " " + type); }
  };
  private final ConnectionManager manager = new ConnectionManager(dataPath, Optional.of(relay), p -> punches.add(p.id()),
      listener, new LinkSettings(Duration.ofSeconds(10), Duration.ofSeconds(20)), UPGRADES,
      new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8), Backoff.Jitter.FULL, () -> 0.5), clock);

  private Peer member(String id, NatType nat) {
    return peer(id, nat).withVirtualIp("10.77.0.2").withEndpoint(THEM);
  }

  private void handshakeNow(Peer p, long rx) {
    stats.put(Key.fromBase64(p.publicKey()), new PeerStats(Key.fromBase64(p.publicKey()), THEM, clock.instant(), rx, rx));
  }

  @Test
  void matrixPairsConnectDirectly() {
    manager.setLocal(NatType.FULL_CONE, ME);
    Peer b = member("b", NatType.OPEN);
    manager.track(b);
    assertEquals(List.of("b@" + THEM), configured);
    assertTrue(punches.isEmpty());
    clock.advance(Duration.ofSeconds(1));
    handshakeNow(b, 92);
    manager.tick(Map.copyOf(stats));
    assertEquals(ConnectionType.DIRECT, manager.connectionType("b"));
    assertEquals(List.of("b DIRECT"), changes, "NONE is implied until the first change");
  }

  /** Two members behind one router that does not hairpin: the same public address, one LAN. */
  @Test
  void hostCandidatesOnOurLanRestartAConnectingLinkThereFirstAndFallBackQuickly() throws Exception {
    Endpoint sharedPublic = Endpoint.parse("203.0.113.1:40000");
    manager.setLocal(NatType.PORT_RESTRICTED_CONE, ME);
    manager.setLocalAddresses(List.of(new HostCandidates.LocalAddress(InetAddress.getByName("192.168.7.10"), 24)));
    Peer b = peer("b", NatType.PORT_RESTRICTED_CONE).withVirtualIp("10.77.0.2").withEndpoint(sharedPublic);
    manager.track(b);
    Endpoint lan = Endpoint.parse("192.168.7.11:51820");
    manager.hostCandidates("b", List.of(Endpoint.parse("172.16.0.5:51820"), lan));
    assertEquals("restart b@" + lan, configured.get(configured.size() - 1), "a fresh handshake to the LAN address");
    assertEquals(Optional.of(PathKind.LAN), manager.path("b"));

    manager.hostCandidates("b", List.of(Endpoint.parse("172.16.0.5:51820"), lan));
    assertEquals("restart b@" + lan, configured.get(configured.size() - 1), "the same candidates change nothing");
    clock.advance(PeerLink.HOST_CANDIDATE_TIMEOUT);
    manager.tick(Map.copyOf(stats));
    assertEquals(Optional.of(PathKind.PUNCH), manager.path("b"), "a silent LAN costs a short try only");
  }

  @Test
  void aWorkingLinkIsNotMovedAndOtherHomesWithTheSameNumberingAreNotTried() throws Exception {
    manager.setLocal(NatType.FULL_CONE, ME);
    manager.setLocalAddresses(List.of(new HostCandidates.LocalAddress(InetAddress.getByName("192.168.1.10"), 24)));
    Peer b = member("b", NatType.OPEN);
    manager.track(b);
    manager.hostCandidates("b", List.of(Endpoint.parse("192.168.1.11:51820")));
    assertEquals(List.of("b@" + THEM), configured, "another public address: another home, whatever its LAN");
    clock.advance(Duration.ofSeconds(1));
    handshakeNow(b, 92);
    manager.tick(Map.copyOf(stats));
    manager.hostCandidates("b", List.of(Endpoint.parse("[2001:db8::b]:51820")));
    assertEquals(List.of("b@" + THEM), configured, "an up link stays where it works");
    assertEquals(ConnectionType.DIRECT, manager.connectionType("b"));
  }

  @Test
  void aNatTypeLearntAfterTheJoinReplansALinkStillConnecting() {
    Peer b = member("b", NatType.PORT_RESTRICTED_CONE);
    manager.track(b);
    assertEquals(List.of("b"), punches, "UNKNOWN at the join: a punch is worth a try");
    manager.setLocal(NatType.SYMMETRIC, ME);
    assertEquals(List.of("open b"), relays, "symmetric with port-restricted never punches: the relay at once");
    assertEquals("b@" + RELAY_PORT, configured.get(configured.size() - 1));
    clock.advance(Duration.ofSeconds(1));
    handshakeNow(b, 92);
    manager.tick(Map.copyOf(stats));
    manager.setLocal(NatType.SYMMETRIC, Endpoint.parse("203.0.113.1:40001"));
    assertEquals(List.of("open b"), relays, "a working link stays");
    assertEquals(ConnectionType.RELAY, manager.connectionType("b"));
  }

  @Test
  void portRestrictedPairsPunchAndAnswerPunchRequests() {
    manager.setLocal(NatType.PORT_RESTRICTED_CONE, ME);
    Peer b = member("b", NatType.PORT_RESTRICTED_CONE);
    manager.track(b);
    assertEquals(List.of("b"), punches);
    manager.punchRequested("b");
    assertEquals(List.of("b@" + THEM, "b@" + THEM), configured, "a punch request re-arms WireGuard at once");
    clock.advance(Duration.ofSeconds(1));
    handshakeNow(b, 92);
    manager.tick(Map.copyOf(stats));
    assertEquals(ConnectionType.DIRECT, manager.connectionType("b"));
  }

  @Test
  void aFailedPunchFallsBackToTheRelay() {
    manager.setLocal(NatType.PORT_RESTRICTED_CONE, ME);
    Peer b = member("b", NatType.PORT_RESTRICTED_CONE);
    manager.track(b);
    clock.advance(Duration.ofSeconds(11));
    manager.tick(Map.copyOf(stats));
    assertEquals(List.of("open b"), relays);
    assertEquals("b@" + RELAY_PORT, configured.get(configured.size() - 1));
    clock.advance(Duration.ofSeconds(1));
    handshakeNow(b, 92);
    manager.tick(Map.copyOf(stats));
    assertEquals(ConnectionType.RELAY, manager.connectionType("b"));
  }

  @Test
  void symmetricWithPortRestrictedGoesStraightToTheRelay() {
    manager.setLocal(NatType.SYMMETRIC, ME);
    manager.track(member("b", NatType.PORT_RESTRICTED_CONE));
    assertEquals(List.of("open b"), relays);
    assertEquals(List.of("b@" + RELAY_PORT), configured);
  }

  @Test
  void aLateRelayedAddressIsConfiguredAtOnceButOnlyOnTheRelayPath() {
    manager.setLocal(NatType.SYMMETRIC, ME);
    relayWaiting = true;
    Peer b = member("b", NatType.PORT_RESTRICTED_CONE);
    manager.track(b);
    assertTrue(configured.isEmpty(), "nothing to configure while the relay waits: " + configured);
    relayWaiting = false;
    manager.relayReady("b");
    assertEquals(List.of("b@" + RELAY_PORT), configured);
    clock.advance(Duration.ofSeconds(1));
    handshakeNow(b, 92);
    manager.tick(Map.copyOf(stats));
    assertEquals(ConnectionType.RELAY, manager.connectionType("b"));

    Peer c = member("c", NatType.PORT_RESTRICTED_CONE);
    manager.setLocal(NatType.PORT_RESTRICTED_CONE, ME);
    manager.track(c);
    manager.relayReady("c");
    manager.relayReady("unknown");
    assertEquals(List.of("b@" + RELAY_PORT, "c@" + THEM), configured, "a link still punching keeps its endpoint");
  }

  @Test
  void aPeerDownForMinutesIsNeverGivenUpAndConnectsWhenItAnswers() {
    manager.setLocal(NatType.SYMMETRIC, ME);
    Peer b = member("b", NatType.SYMMETRIC);
    manager.track(b);
    Instant deadline = clock.instant().plus(Duration.ofMinutes(10));
    while (clock.instant().isBefore(deadline)) {
      clock.advance(Duration.ofSeconds(5));
      manager.tick(Map.copyOf(stats));
    }
    assertTrue(!relays.contains("close b"), "the relay path stays open: " + relays);
    long lastMinuteRetries = relays.stream().filter(r -> r.equals("open b")).count();
    assertTrue(lastMinuteRetries > 10 * 60 / (8 + 10 + 5), "retried all along: " + relays);
    clock.advance(Duration.ofSeconds(5));
    manager.tick(Map.copyOf(stats));
    handshakeNow(b, 92);
    clock.advance(Duration.ofSeconds(1));
    manager.tick(Map.copyOf(stats));
    assertEquals(ConnectionType.RELAY, manager.connectionType("b"), changes.toString());
  }

  @Test
  void anUnchangedPeerIsNotReconfiguredButANewEndpointIs() {
    manager.setLocal(NatType.FULL_CONE, ME);
    Peer b = member("b", NatType.OPEN);
    manager.track(b);
    manager.track(b.withLatencyMs(3.0));
    assertEquals(1, configured.size());
    Endpoint roamed = Endpoint.parse("198.51.100.2:40001");
    manager.track(b.withEndpoint(roamed));
    assertEquals("b@" + roamed, configured.get(1));
  }

  private void observed(Peer p, Endpoint endpoint, long rx) {
    Key key = Key.fromBase64(p.publicKey());
    stats.put(key, new PeerStats(key, endpoint, clock.instant(), rx, rx));
  }

  /** A port-restricted peer whose punch failed (the direct path was blocked then), now up on the relay. */
  private Peer relayedAfterAFailedPunch() {
    return relayedAfterAFailedPunch(NatType.PORT_RESTRICTED_CONE);
  }

  private Peer relayedAfterAFailedPunch(NatType mine) {
    manager.setLocal(mine, ME);
    Peer b = member("b", NatType.PORT_RESTRICTED_CONE);
    manager.track(b);
    clock.advance(Duration.ofSeconds(11));
    manager.tick(Map.copyOf(stats));
    clock.advance(Duration.ofSeconds(1));
    observed(b, RELAY_PORT, 92);
    manager.tick(Map.copyOf(stats));
    assertEquals(ConnectionType.RELAY, manager.connectionType("b"));
    return b;
  }

  @Test
  void aRelayedLinkMovesToTheDirectPathWhenItsPacketsArriveDirectlyAndBackWhenTheyStop() {
    Peer b = relayedAfterAFailedPunch();
    int punchesBefore = punches.size();
    clock.advance(UPGRADES.firstTry());
    manager.tick(Map.copyOf(stats));
    assertEquals("b@" + THEM, configured.get(configured.size() - 1), "the check points WireGuard at b's mapping");
    assertEquals(punchesBefore + 1, punches.size(), "and asks b to check too");
    clock.advance(Duration.ofSeconds(1));
    observed(b, THEM, 92);
    manager.tick(Map.copyOf(stats));
    assertEquals(ConnectionType.RELAY, manager.connectionType("b"), "nothing received directly yet");
    clock.advance(Duration.ofSeconds(1));
    observed(b, THEM, 184);
    manager.tick(Map.copyOf(stats));
    assertEquals(ConnectionType.DIRECT, manager.connectionType("b"));
    assertEquals(Optional.of(PathKind.PUNCH), manager.path("b"));
    assertEquals("b DIRECT", changes.get(changes.size() - 1), "the upgrade is reported");
    assertTrue(!relays.contains("close b"), "the relay path stays bound for the way back: " + relays);

    clock.advance(UPGRADES.fallbackSilence());
    manager.tick(Map.copyOf(stats));
    assertEquals("b@" + RELAY_PORT, configured.get(configured.size() - 1), "a silent direct path goes back to the relay");
    assertEquals(ConnectionType.RELAY, manager.connectionType("b"));
    assertEquals("b RELAY", changes.get(changes.size() - 1));
  }

  @Test
  void anUpgradedLinkFollowsThePeerBackToTheRelay() {
    Peer b = relayedAfterAFailedPunch();
    clock.advance(UPGRADES.firstTry());
    manager.tick(Map.copyOf(stats));
    for (long rx : new long[] {100, 200}) {
      clock.advance(Duration.ofSeconds(1));
      observed(b, THEM, rx);
      manager.tick(Map.copyOf(stats));
    }
    assertEquals(ConnectionType.DIRECT, manager.connectionType("b"));
    clock.advance(Duration.ofSeconds(1));
    observed(b, RELAY_PORT, 300);
    manager.tick(Map.copyOf(stats));
    assertEquals(ConnectionType.RELAY, manager.connectionType("b"), "WireGuard roamed to the forwarder: b went back");
    assertEquals("b@" + RELAY_PORT, configured.get(configured.size() - 1));
  }

  @Test
  void aCheckThatSeesOnlyRelayedPacketsGoesBackToTheRelayAndTheNextWaitsLonger() {
    Peer b = relayedAfterAFailedPunch();
    clock.advance(UPGRADES.firstTry());
    manager.tick(Map.copyOf(stats));
    long rx = 92;
    for (int i = 0; i < 4; i++) {
      clock.advance(Duration.ofSeconds(1));
      rx += 92;
      observed(b, RELAY_PORT, rx);
      manager.tick(Map.copyOf(stats));
      assertEquals(ConnectionType.RELAY, manager.connectionType("b"), "bytes through the relay prove nothing");
    }
    assertEquals("b@" + RELAY_PORT, configured.get(configured.size() - 1), "the failed check ends on the relay");
    int configuredAfterCheck = configured.size();
    clock.advance(UPGRADES.firstTry());
    manager.tick(Map.copyOf(stats));
    assertEquals(configuredAfterCheck, configured.size(), "the second check waits twice as long");
    clock.advance(UPGRADES.firstTry());
    manager.tick(Map.copyOf(stats));
    assertEquals("b@" + THEM, configured.get(configured.size() - 1));
  }

  @Test
  void thePeersCheckIsJoinedAtOnceWithoutAskingBack() {
    relayedAfterAFailedPunch();
    int punchesBefore = punches.size();
    clock.advance(Duration.ofSeconds(1));
    manager.tick(Map.copyOf(stats));
    manager.punchRequested("b");
    assertEquals("b@" + THEM, configured.get(configured.size() - 1));
    assertEquals(punchesBefore, punches.size());
  }

  @Test
  void aPairWhoseOnlyPathIsTheRelayIsNeverChecked() {
    manager.setLocal(NatType.SYMMETRIC, ME);
    Peer b = member("b", NatType.PORT_RESTRICTED_CONE);
    manager.track(b);
    for (int i = 0; i < 120; i++) {
      clock.advance(Duration.ofSeconds(1));
      observed(b, RELAY_PORT, 92L * i);
      manager.tick(Map.copyOf(stats));
    }
    assertEquals(List.of("b@" + RELAY_PORT), configured);
    assertTrue(punches.isEmpty());
  }

  @Test
  void aLinkRelayedWhileTheNatTypeWasUnknownStopsCheckingOnceTheTypesRuleADirectPathOut() {
    Peer b = relayedAfterAFailedPunch(NatType.UNKNOWN);
    manager.setLocal(NatType.SYMMETRIC, ME);
    int punchesBefore = punches.size();
    for (int i = 0; i < 60; i++) {
      clock.advance(Duration.ofSeconds(1));
      observed(b, RELAY_PORT, 92L + i);
      manager.tick(Map.copyOf(stats));
    }
    assertEquals("b@" + RELAY_PORT, configured.get(configured.size() - 1), "symmetric with port-restricted: relay only");
    assertEquals(punchesBefore, punches.size());
  }
}
