package io.partynet.core.internal.connection;

import io.partynet.ConnectionType;
import io.partynet.Endpoint;
import io.partynet.Key;
import io.partynet.NatType;
import io.partynet.Peer;
import io.partynet.core.internal.nat.discovery.StunNatDetector;
import io.partynet.core.internal.nat.discovery.StunTiming;
import io.partynet.core.internal.nat.turn.TurnCredentials;
import io.partynet.core.internal.nat.turn.TurnRelay;
import io.partynet.spi.Backoff;
import io.partynet.spi.NatReport;
import io.partynet.spi.PeerStats;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One member's connection manager in a child JVM inside a lab host namespace, driving a real
 * wireguard-go interface with {@code wg}, with a {@link TurnRelay} against the lab's coturn. The
 * control plane is the test: signals go out as stdout lines and come in as stdin lines.
 *
 * <p>Arguments: interface, private key file, listen port, STUN server, TURN server, TURN user,
 * TURN password. It detects its NAT from the listen port (before WireGuard binds it), prints
 * {@code LOCAL <NatType> <mapped endpoint or ->}, then obeys stdin lines:
 * {@code PEER <id> <public key> <NatType> <endpoint or -> <virtual ip>} (track),
 * {@code PUNCH <id>} (the peer asked to punch), {@code CANDIDATE <id> <ip:port>} (the peer's
 * relay-candidate signal), {@code STATUS <id>} (prints {@code STATUS <id> <ConnectionType>
 * relay=<relayed address or none>}), {@code QUIT}. It prints {@code SIGNAL punch <to>},
 * {@code SIGNAL relay-candidate <to> <ip:port>}, {@code CONFIGURED <id> <endpoint>} (WireGuard was
 * pointed there), {@code CONNECTION <id> <ConnectionType>} and {@code ERROR <message>}. The manager runs on one thread, as in the party manager, ticking every
 * 200 ms.
 */
public final class ConnectionAgentMain {
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
  private static final String PARTY = "lab-party";
  private static final String SELF = "self";
  /** Short intervals, so the lab sees a relayed link move to a direct path within seconds. */
  private static final UpgradeSettings LAB_UPGRADES = new UpgradeSettings(Duration.ofSeconds(2), Duration.ofSeconds(4),
      Duration.ofSeconds(4), Duration.ofSeconds(3));

  private ConnectionAgentMain() {}

  public static void main(String[] args) throws Exception {
    String ifName = args[0];
    Path key = Path.of(args[1]);
    int port = Integer.parseInt(args[2]);
    Endpoint stun = Endpoint.parse(args[3]);
    Endpoint turn = Endpoint.parse(args[4]);
    TurnCredentials credentials = new TurnCredentials(args[5], args[6]);

    NatReport nat = new StunNatDetector(List.of(stun), new StunTiming(Duration.ofMillis(100), 4, 4),
        Executors.newSingleThreadExecutor()).detect(port).get(30, TimeUnit.SECONDS);
    Endpoint mapped = nat.mappedEndpoint();
    System.out.println("LOCAL " + nat.natType() + " " + (mapped == null ? "-" : mapped));
    wg("set", ifName, "private-key", key.toString(), "listen-port", Integer.toString(port));

    ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor();
    Map<String, Peer> peers = new HashMap<>();
    ConnectionManager[] holder = new ConnectionManager[1];
    TurnRelay relay = TurnRelay.builder(turn, credentials).wireGuardPort(port).signalling(new TurnRelay.Signalling() {
      @Override
      public void sendCandidate(String peerId, Endpoint relayed) {
        System.out.println("SIGNAL " + PartySignals.RELAY_CANDIDATE + " " + peerId + " " + relayed);
      }

      @Override
      public void relayReady(String peerId) {
        worker.execute(() -> holder[0].relayReady(peerId));
      }
    }).build();
    WgDataPath dataPath = new WgDataPath(ifName);
    ConnectionManager manager = new ConnectionManager(dataPath, Optional.of(relay),
        peer -> System.out.println("SIGNAL punch " + peer.id()),
        (peer, type) -> System.out.println("CONNECTION " + peer.id() + " " + type),
        LinkSettings.defaults(), LAB_UPGRADES, new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8), Backoff.Jitter.FULL,
        () -> ThreadLocalRandom.current().nextDouble()), Clock.systemUTC());
    holder[0] = manager;
    manager.setLocal(nat.natType(), mapped);
    worker.scheduleWithFixedDelay(guarded(() -> manager.tick(dataPath.stats())), 200, 200, TimeUnit.MILLISECONDS);

    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] w = line.trim().split(" ");
      switch (w[0]) {
        case "PEER" -> worker.execute(guarded(() -> {
          Peer peer = Peer.newMember(w[1], "member-" + w[1], Key.fromBase64(w[2]), NatType.valueOf(w[3]), Instant.now())
              .withEndpoint(w[4].equals("-") ? null : Endpoint.parse(w[4])).withVirtualIp(w[5]);
          peers.put(peer.id(), peer);
          manager.track(peer);
        }));
        case "PUNCH" -> worker.execute(guarded(() -> manager.punchRequested(w[1])));
        // What the coordinator does with a received control-plane signal.
        case "CANDIDATE" -> relay.onSignal(PartySignals.relayCandidate(PARTY, w[1], SELF, Endpoint.parse(w[2])));
        case "STATUS" -> worker.execute(guarded(() -> System.out.println("STATUS " + w[1] + " "
            + manager.connectionType(w[1]) + " relay="
            + relay.allocation().map(a -> Endpoint.of(a.relayed()).toString()).orElse("none"))));
        case "QUIT" -> {
          worker.submit(manager::clear).get(10, TimeUnit.SECONDS);
          worker.shutdownNow();
          relay.close();
          System.out.println("BYE");
          System.exit(0);
        }
        default -> System.out.println("ERROR unknown command " + w[0]);
      }
    }
    System.exit(0);
  }

  private static Runnable guarded(Runnable action) {
    return () -> {
      try {
        action.run();
      } catch (RuntimeException e) {
        System.out.println("ERROR " + e);
      }
    };
  }

  /** The data path of the test: `wg set` and `wg show dump` on a wireguard-go interface. */
  private static final class WgDataPath implements ConnectionManager.DataPath {
    private final String ifName;

    WgDataPath(String ifName) {
      this.ifName = ifName;
    }

    @Override
    public void configure(Peer peer, Endpoint endpoint) {
      List<String> command = new ArrayList<>(List.of("set", ifName, "peer", peer.publicKey()));
      if (endpoint != null) {
        command.addAll(List.of("endpoint", endpoint.toString()));
      }
      command.addAll(List.of("allowed-ips", peer.virtualIp() + "/32", "persistent-keepalive", "1"));
      wg(command.toArray(String[]::new));
      System.out.println("CONFIGURED " + peer.id() + " " + endpoint);
    }

    /** `wg show IF dump`: the interface line, then per peer: key, psk, endpoint, ips, handshake, rx, tx, keepalive. */
    Map<Key, PeerStats> stats() {
      Map<Key, PeerStats> stats = new HashMap<>();
      String[] lines = wg("show", ifName, "dump").split("\n");
      for (int i = 1; i < lines.length; i++) {
        String[] f = lines[i].split("\t");
        Key peerKey = Key.fromBase64(f[0]);
        Endpoint endpoint = f[2].equals("(none)") ? null : Endpoint.parse(f[2]);
        long handshake = Long.parseLong(f[4]);
        stats.put(peerKey, new PeerStats(peerKey, endpoint, handshake == 0 ? null : Instant.ofEpochSecond(handshake),
            Long.parseLong(f[5]), Long.parseLong(f[6])));
      }
      return stats;
    }
  }

  private static String wg(String... args) {
    List<String> command = new ArrayList<>(List.of("wg"));
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getOutputStream().close();
      if (!p.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IOException(command + " did not finish in " + COMMAND_TIMEOUT);
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IOException(command + " exited " + p.exitValue() + ": " + out.strip());
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + command, e);
    }
  }
}
