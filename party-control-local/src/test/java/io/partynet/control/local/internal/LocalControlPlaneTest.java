package io.partynet.control.local.internal;

import static io.partynet.testing.TestPeers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.DisbandReason;
import io.partynet.Key;
import io.partynet.LeaveReason;
import io.partynet.NotHostException;
import io.partynet.PartyConfig;
import io.partynet.PartyException;
import io.partynet.PartyInfo;
import io.partynet.Peer;
import io.partynet.testing.ControlPlaneEventRecorder;
import io.partynet.testing.Eventually;
import io.partynet.testing.ManualClock;
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

  /** A host and a guest, each on its own plane over one discovery file, in one party; records what each hears. */
  private final class Lan {
    final ControlPlaneEventRecorder hostHears = new ControlPlaneEventRecorder();
    final ControlPlaneEventRecorder guestHears = new ControlPlaneEventRecorder();
    final LocalControlPlane host;
    final LocalControlPlane guest;
    final PartyInfo party;

    Lan() throws Exception {
      host = start(peer("host"));
      guest = start(peer("guest"));
      host.addListener(hostHears);
      guest.addListener(guestHears);
      String id = await(host.createParty("lan", peer("host"))).partyId();
      party = await(guest.joinParty(id, peer("guest")));
    }

    String id() {
      return party.partyId();
    }
  }

  @Test
  void membersSeeEachOtherAndEveryChangeWithinASecond() throws Exception {
    Lan lan = new Lan();
    assertEquals(2, lan.party.peers().size());
    assertEquals("10.77.0.2", lan.party.peer("guest").virtualIp());
    lan.hostHears.await("peerJoined " + lan.id() + " guest", WITHIN_A_SECOND);

    await(lan.guest.updatePeer(lan.id(), lan.party.peer("guest").withEndpoint(io.partynet.Endpoint.parse("192.0.2.1:5"))));
    Eventually.until(WITHIN_A_SECOND, () -> lan.hostHears.events().contains("peerUpdated " + lan.id() + " guest 192.0.2.1:5"),
        () -> "host saw " + lan.hostHears.events() + " file " + read(dir.resolve("discovery.json")));

    await(lan.guest.leaveParty(lan.id(), "guest"));
    lan.hostHears.await("peerLeft " + lan.id() + " guest left", WITHIN_A_SECOND);
    assertEquals(1, await(lan.host.getParty(lan.id())).orElseThrow().peers().size());
  }

  @Test
  void staleMemberIsRemovedAfterTheTimeout() throws Exception {
    Lan lan = new Lan();
    lan.guest.close();
    clock.advance(Duration.ofSeconds(60));
    await(lan.host.heartbeat(lan.id(), "host"));
    clock.advance(Duration.ofSeconds(60));
    lan.hostHears.await("peerLeft " + lan.id() + " guest stale", Duration.ofSeconds(3));
    assertEquals(List.of("host"), await(lan.host.getParty(lan.id())).orElseThrow().peers().stream().map(Peer::id).toList());
  }

  @Test
  void aMemberActsOnlyAsItselfAndOnlyTheHostKicks() throws Exception {
    Lan lan = new Lan();
    PartyException notSelf = unwrap(assertThrows(Exception.class, () -> await(lan.guest.leaveParty(lan.id(), "host"))));
    assertEquals(PartyException.Reason.FORBIDDEN, notSelf.reason());
    PartyException notHost = unwrap(assertThrows(Exception.class, () -> await(lan.guest.kick(lan.id(), "guest", "host"))));
    assertInstanceOf(NotHostException.class, notHost);
    await(lan.host.kick(lan.id(), "host", "guest"));
    lan.guestHears.await("peerLeft " + lan.id() + " guest kicked", WITHIN_A_SECOND);
  }

  @Test
  void signalsReachOnlyTheAddressee() throws Exception {
    Lan lan = new Lan();
    Signal punch = new Signal(lan.id(), "host", "guest", "punch-now", Map.of("at", "5"));
    await(lan.host.signal(punch));
    Eventually.until(WITHIN_A_SECOND, () -> lan.guestHears.signals().contains(punch), "guest receives the signal");
    assertTrue(lan.hostHears.signals().isEmpty(), "the sender does not receive its own signal");
  }

  @Test
  void hostLeavingDisbandsForEveryone() throws Exception {
    Lan lan = new Lan();
    await(lan.host.leaveParty(lan.id(), "host"));
    lan.guestHears.await("partyDisbanded " + lan.id() + " host-left", WITHIN_A_SECOND);
    assertTrue(await(lan.guest.getParty(lan.id())).isEmpty());
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
