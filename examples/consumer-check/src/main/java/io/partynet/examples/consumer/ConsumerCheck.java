package io.partynet.examples.consumer;

import io.partynet.ConnectionType;
import io.partynet.Party;
import io.partynet.PartyConfig;
import io.partynet.PartyDatagram;
import io.partynet.PartyDatagramSocket;
import io.partynet.PartyManager;
import io.partynet.PartyStatus;
import io.partynet.PeerStatus;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What an application does with PartyNet, from its published artifacts: two members (two managers
 * in this JVM, each with its own home) create and join a party through the local control plane,
 * connect over the embedded WireGuard backend, and carry one datagram through the tunnel. Prints
 * one {@code consumer-check: ok ...} line, or {@code consumer-check: FAILED ...} and exits 1.
 *
 * <pre>java -cp ... io.partynet.examples.consumer.ConsumerCheck WORK_DIR</pre>
 */
public final class ConsumerCheck {
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final int PORT = 40404;

  private ConsumerCheck() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: ConsumerCheck WORK_DIR");
      System.exit(2);
    }
    try {
      System.out.println("consumer-check: ok " + run(Path.of(args[0])));
    } catch (Exception e) {
      System.err.println("consumer-check: FAILED " + e);
      e.printStackTrace();
      System.exit(1);
    }
  }

  private static String run(Path work) throws Exception {
    Path discovery = work.resolve("discovery.json");
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    try (PartyManager host = member(work, "host", discovery);
        PartyManager guest = member(work, "guest", discovery)) {
      Party party = host.create("consumer-check").get(30, TimeUnit.SECONDS);
      guest.join(party.id(), "guest").get(30, TimeUnit.SECONDS);
      String hostIp = awaitConnected(guest, host.myPeerId(), deadline);
      String text = "hello through the tunnel";
      try (PartyDatagramSocket hostSocket = host.openDatagramSocket(PORT);
          PartyDatagramSocket guestSocket = guest.openDatagramSocket(0)) {
        PartyDatagram received = null;
        // UDP: the first datagrams may go while WireGuard still shakes hands, so send again until one arrives.
        while (received == null && System.nanoTime() < deadline) {
          guestSocket.send(hostIp, PORT, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
          received = hostSocket.receive(Duration.ofMillis(250));
        }
        if (received == null) {
          throw new IllegalStateException("no datagram reached the host through the tunnel within " + DEADLINE);
        }
        String got = new String(received.payload(), StandardCharsets.UTF_8);
        if (!got.equals(text)) {
          throw new IllegalStateException("the host received '" + got + "' instead of '" + text + "'");
        }
      }
      guest.leave().get(10, TimeUnit.SECONDS);
      host.leave().get(10, TimeUnit.SECONDS);
      return "party=" + party.id() + " members=2 datagram=delivered api-module="
          + describe(PartyManager.class.getModule()) + " core-module=" + describe(host.getClass().getModule());
    }
  }

  private static PartyManager member(Path work, String name, Path discovery) {
    Path home = work.resolve(name);
    PartyConfig config = PartyConfig.builder()
        .home(home)
        .peerName(name)
        .discoveryFile(discovery)
        .networkBackend("embedded")
        .listenPort(0)
        // Both members run on this machine: tell each other to use loopback (no STUN server here).
        .setting("network.advertise-address", "127.0.0.1")
        .setting("embedded.bind-address", "127.0.0.1")
        .build();
    return PartyManager.builder().home(home).config(config).build();
  }

  /** Waits until {@code member} has a working path to {@code peerId}; returns that peer's virtual IP. */
  private static String awaitConnected(PartyManager member, String peerId, long deadline) throws Exception {
    PartyStatus last = null;
    while (System.nanoTime() < deadline) {
      last = member.status().get(10, TimeUnit.SECONDS);
      for (PeerStatus p : last.peers()) {
        if (p.peer().id().equals(peerId) && p.peer().virtualIp() != null
            && p.peer().connectionType() != ConnectionType.NONE) {
          return p.peer().virtualIp();
        }
      }
      Thread.sleep(100); // polling interval of a bounded wait
    }
    throw new IllegalStateException("no path to the host within " + DEADLINE + "; last status " + last);
  }

  private static String describe(Module module) {
    return module.isNamed() ? module.getName() : "unnamed";
  }
}
