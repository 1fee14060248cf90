package io.partynet.control.local.internal;

import static io.partynet.core.testing.TestPeers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Key;
import io.partynet.NotHostException;
import io.partynet.PartyConfig;
import io.partynet.PartyException;
import io.partynet.PartyInfo;
import io.partynet.Peer;
import io.partynet.core.testing.Eventually;
import io.partynet.core.testing.ManualClock;
import io.partynet.spi.ControlPlaneListener;
import io.partynet.spi.Signal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalControlPlaneTest {
  /**
   * Changes reach other members within one poll interval (200 ms) plus a read; the waits allow
   * more so that a busy machine's scheduling cannot fail the test. The interval itself is checked
   * by {@link #pollingIsFastEnoughToNotifyWithinASecond()}.
   */
  private static final Duration WITHIN_A_SECOND = Duration.ofSeconds(3);

  @Test
  void pollingIsFastEnoughToNotifyWithinASecond() {
    assertTrue(LocalControlPlane.POLL_INTERVAL.compareTo(Duration.ofMillis(500)) <= 0, "poll interval "
        + LocalControlPlane.POLL_INTERVAL);
  }

  @TempDir Path dir;
  private final ManualClock clock = ManualClock.startingAt("2026-01-01T00:00:00Z");
  private final List<LocalControlPlane> planes = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeAll() {
    planes.forEach(LocalControlPlane::close);
  }

  private LocalControlPlane start(Peer as) throws Exception {
    PartyConfig config = PartyConfig.builder().home(dir.resolve(as.id())).discoveryFile(dir.resolve("discovery.json"))
        .cleanupInterval(Duration.ofMillis(100)).staleTimeout(Duration.ofSeconds(90)).build();
    LocalControlPlane plane = new LocalControlPlane(config, clock);
    planes.add(plane);
    plane.start(as.id(), Key.fromBase64(as.publicKey())).get(5, TimeUnit.SECONDS);
    return plane;
  }

  private static <T> T await(java.util.concurrent.CompletableFuture<T> f) throws Exception {
    return f.get(5, TimeUnit.SECONDS);
  }

  @Test
  void membersSeeEachOtherAndEveryChangeWithinASecond() throws Exception {
    Peer host = peer("host");
    Peer guest = peer("guest");
    LocalControlPlane a = start(host);
    LocalControlPlane b = start(guest);
    List<String> seenByHost = new CopyOnWriteArrayList<>();
    a.addListener(recorder(seenByHost));
    PartyInfo created = await(a.createParty("lan", host));
    PartyInfo joined = await(b.joinParty(created.partyId(), guest));
    assertEquals(2, joined.peers().size());
    assertEquals("10.77.0.2", joined.peer("guest").virtualIp());
    Eventually.until(WITHIN_A_SECOND, () -> seenByHost.contains("joined guest"), () -> "host saw " + seenByHost);

    await(b.updatePeer(created.partyId(), joined.peer("guest").withEndpoint(io.partynet.Endpoint.parse("192.0.2.1:5"))));
    Eventually.until(WITHIN_A_SECOND, () -> seenByHost.contains("updated guest"), () -> "host saw " + seenByHost + " file " + read(dir.resolve("discovery.json")));

    await(b.leaveParty(created.partyId(), "guest"));
    Eventually.until(WITHIN_A_SECOND, () -> seenByHost.contains("left guest left"), () -> "host saw " + seenByHost);
    assertEquals(1, await(a.getParty(created.partyId())).orElseThrow().peers().size());
  }

  @Test
  void staleMemberIsRemovedAfterTheTimeout() throws Exception {
    Peer host = peer("host");
    Peer guest = peer("guest");
    LocalControlPlane a = start(host);
    LocalControlPlane b = start(guest);
    List<String> seenByHost = new CopyOnWriteArrayList<>();
    a.addListener(recorder(seenByHost));
    PartyInfo created = await(a.createParty("lan", host));
    await(b.joinParty(created.partyId(), guest));
    b.close();
    clock.advance(Duration.ofSeconds(60));
    await(a.heartbeat(created.partyId(), "host"));
    clock.advance(Duration.ofSeconds(60));
    Eventually.until(Duration.ofSeconds(3), () -> seenByHost.contains("left guest stale"), () -> "host saw " + seenByHost);
    assertEquals(List.of("host"), await(a.getParty(created.partyId())).orElseThrow().peers().stream().map(Peer::id).toList());
  }

  @Test
  void aMemberActsOnlyAsItselfAndOnlyTheHostKicks() throws Exception {
    Peer host = peer("host");
    Peer guest = peer("guest");
    LocalControlPlane a = start(host);
    LocalControlPlane b = start(guest);
    PartyInfo created = await(a.createParty("lan", host));
    await(b.joinParty(created.partyId(), guest));
    PartyException notSelf = unwrap(assertThrows(Exception.class, () -> await(b.leaveParty(created.partyId(), "host"))));
    assertEquals(PartyException.Reason.FORBIDDEN, notSelf.reason());
    PartyException notHost = unwrap(assertThrows(Exception.class, () -> await(b.kick(created.partyId(), "guest", "host"))));
    assertInstanceOf(NotHostException.class, notHost);
    List<String> seenByGuest = new CopyOnWriteArrayList<>();
    b.addListener(recorder(seenByGuest));
    await(a.kick(created.partyId(), "host", "guest"));
    Eventually.until(WITHIN_A_SECOND, () -> seenByGuest.contains("left guest kicked"), () -> "guest saw " + seenByGuest);
  }

  @Test
  void signalsReachOnlyTheAddressee() throws Exception {
    Peer host = peer("host");
    Peer guest = peer("guest");
    LocalControlPlane a = start(host);
    LocalControlPlane b = start(guest);
    List<Signal> toGuest = new CopyOnWriteArrayList<>();
    List<Signal> toHost = new CopyOnWriteArrayList<>();
    b.addListener(new ControlPlaneListener() {
      @Override public void onSignal(Signal s) { toGuest.add(s); }
    });
    a.addListener(new ControlPlaneListener() {
      @Override public void onSignal(Signal s) { toHost.add(s); }
    });
    PartyInfo created = await(a.createParty("lan", host));
    await(b.joinParty(created.partyId(), guest));
    Signal punch = new Signal(created.partyId(), "host", "guest", "punch-now", Map.of("at", "5"));
    await(a.signal(punch));
    Eventually.until(WITHIN_A_SECOND, () -> toGuest.contains(punch), "guest receives the signal");
    assertTrue(toHost.isEmpty(), "the sender does not receive its own signal");
  }

  @Test
  void hostLeavingDisbandsForEveryone() throws Exception {
    Peer host = peer("host");
    Peer guest = peer("guest");
    LocalControlPlane a = start(host);
    LocalControlPlane b = start(guest);
    List<String> seenByGuest = new CopyOnWriteArrayList<>();
    b.addListener(recorder(seenByGuest));
    PartyInfo created = await(a.createParty("lan", host));
    await(b.joinParty(created.partyId(), guest));
    await(a.leaveParty(created.partyId(), "host"));
    Eventually.until(WITHIN_A_SECOND, () -> seenByGuest.contains("disbanded host-left"), () -> "guest saw " + seenByGuest);
    assertTrue(await(b.getParty(created.partyId())).isEmpty());
  }

  @Test
  void aCorruptFileIsQuarantinedNotDeleted() throws Exception {
    Path discovery = dir.resolve("discovery.json");
    byte[] garbage = "{ this is not json".getBytes(StandardCharsets.UTF_8);
    Files.write(discovery, garbage);
    Peer host = peer("host");
    LocalControlPlane a = start(host);
    PartyInfo created = await(a.createParty("lan", host));
    assertEquals(1, created.peers().size());
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> aside = files.filter(p -> p.getFileName().toString().startsWith("discovery.json.corrupt-")).toList();
      assertEquals(1, aside.size(), "one quarantined file");
      assertEquals(new String(garbage, StandardCharsets.UTF_8), Files.readString(aside.get(0)));
    }
  }

  private static ControlPlaneListener recorder(List<String> sink) {
    return new ControlPlaneListener() {
      @Override public void onPeerJoined(String partyId, Peer p) { sink.add("joined " + p.id()); }
      @Override public void onPeerLeft(String partyId, String peerId, String reason) { sink.add("left " + peerId + " " + reason); }
      @Override public void onPeerUpdated(String partyId, Peer p) { sink.add("updated " + p.id()); }
      @Override public void onPartyDisbanded(String partyId, String reason) { sink.add("disbanded " + reason); }
    };
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  private static PartyException unwrap(Exception e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return assertInstanceOf(PartyException.class, t);
  }
}
