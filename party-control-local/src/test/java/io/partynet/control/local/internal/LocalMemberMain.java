package io.partynet.control.local.internal;

import io.partynet.Key;
import io.partynet.PartyConfig;
import io.partynet.PartyInfo;
import io.partynet.Peer;
import io.partynet.testing.TestPeers;
import io.partynet.spi.ControlPlaneListener;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A member in its own JVM for {@link TwoProcessTest}: {@code create FILE PEER} prints
 * {@code CODE <code>} and then {@code JOINED <peer>} for each member that joins;
 * {@code join FILE PEER CODE} prints {@code MEMBERS <id,id,...>}. Exits after 20 s at the latest.
 */
public final class LocalMemberMain {
  private LocalMemberMain() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[1]);
    Peer me = TestPeers.peer(args[2]);
    PartyConfig config = PartyConfig.builder().home(file.getParent().resolve(args[2])).discoveryFile(file).build();
    try (LocalControlPlane plane = new LocalControlPlane(config, Clock.systemUTC())) {
      plane.start(me.id(), Key.fromBase64(me.publicKey())).get(10, TimeUnit.SECONDS);
      if (args[0].equals("create")) {
        CountDownLatch joined = new CountDownLatch(1);
        plane.addListener(new ControlPlaneListener() {
          @Override
          public void onPeerJoined(String partyId, Peer peer) {
            if (!peer.id().equals(me.id())) {
              System.out.println("JOINED " + peer.id());
              joined.countDown();
            }
          }
        });
        PartyInfo info = plane.createParty("two-process", me).get(10, TimeUnit.SECONDS);
        System.out.println("CODE " + info.partyId());
        joined.await(20, TimeUnit.SECONDS);
      } else {
        PartyInfo info = plane.joinParty(args[3], me).get(10, TimeUnit.SECONDS);
        System.out.println("MEMBERS " + String.join(",", info.peers().stream().map(Peer::id).toList()));
      }
    }
  }
}
