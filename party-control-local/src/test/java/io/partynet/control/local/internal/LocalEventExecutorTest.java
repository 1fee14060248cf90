package io.partynet.control.local.internal;

import static io.partynet.testing.TestPeers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.partynet.Key;
import io.partynet.LeaveReason;
import io.partynet.PartyConfig;
import io.partynet.Peer;
import io.partynet.testing.Eventually;
import io.partynet.testing.ManualClock;
import io.partynet.spi.ControlPlaneListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local plane keeps no event thread: each event runs on the executor its listener was registered with. */
class LocalEventExecutorTest {
  private static final Duration WAIT = Duration.ofSeconds(3);
  @TempDir Path dir;
  private final ManualClock clock = ManualClock.startingAt("2026-01-01T00:00:00Z");
  private final List<LocalControlPlane> planes = new CopyOnWriteArrayList<>();
  private final ExecutorService given = Executors.newSingleThreadExecutor(r -> new Thread(r, "given-executor"));

  @AfterEach
  void closeAll() {
    planes.forEach(LocalControlPlane::close);
    given.shutdownNow();
  }

  private LocalControlPlane start(Peer as) throws Exception {
    PartyConfig config = PartyConfig.builder().home(dir.resolve(as.id())).discoveryFile(dir.resolve("discovery.json"))
        .build();
    LocalControlPlane plane = new LocalControlPlane(config, clock);
    planes.add(plane);
    plane.start(as.id(), Key.fromBase64(as.publicKey())).get(5, TimeUnit.SECONDS);
    return plane;
  }

  @Test
  void eventsRunInOrderOnTheGivenExecutor() throws Exception {
    LocalControlPlane host = start(peer("host"));
    LocalControlPlane guest = start(peer("guest"));
    List<String> heard = new CopyOnWriteArrayList<>();
    host.addListener(new ControlPlaneListener() {
      @Override
      public void onPeerJoined(String partyId, Peer peer) {
        heard.add("joined " + peer.id() + " on " + Thread.currentThread().getName());
      }

      @Override
      public void onPeerLeft(String partyId, String peerId, LeaveReason reason) {
        heard.add("left " + peerId + " " + reason + " on " + Thread.currentThread().getName());
      }
    }, given);
    String id = host.createParty("lan", peer("host")).get(5, TimeUnit.SECONDS).partyId();
    guest.joinParty(id, peer("guest")).get(5, TimeUnit.SECONDS);
    guest.leaveParty(id, "guest").get(5, TimeUnit.SECONDS);

    List<String> expected = List.of("joined host on given-executor", "joined guest on given-executor",
        "left guest left on given-executor");
    Eventually.until(WAIT, () -> heard.size() >= expected.size(), () -> "host heard " + heard);
    assertEquals(expected, heard);
  }
}
