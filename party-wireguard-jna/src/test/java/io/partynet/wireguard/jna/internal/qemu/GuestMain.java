package io.partynet.wireguard.jna.internal.qemu;

import io.partynet.IpPrefix;
import io.partynet.PartyConfig;
import io.partynet.spi.InterfaceConfig;
import io.partynet.spi.NetworkBackend;
import io.partynet.spi.NetworkBackendProvider;
import io.partynet.spi.PeerConfig;
import io.partynet.spi.PeerStats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ServiceLoader;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * Runs inside the qemu guest (started by src/test/qemu/guest-checks.sh, no JUnit there): drives
 * the {@code netlink} backend against the guest's kernel and writes down what it observed, next
 * to what {@code wg show IFACE dump} prints at the same moment. {@link KernelWireGuardQemuTest}
 * compares the files after the guest powered off. Files are named {@code NAME.suffix} in the
 * working directory (the exchange folder):
 * <ul>
 *   <li>{@code configure IFACE NAME}: applies {@code NAME.desired} (a {@link WgDump}), writes
 *       {@code NAME.readback} and {@code NAME.wg}, closes the backend and writes {@code NAME.closed}.
 *   <li>{@code tunnel IFACE ADDRESS NAME}: brings up IFACE with ADDRESS and the peers of
 *       {@code NAME.desired}, writes {@code NAME.ready}, waits for {@code tunnel.go} (the script
 *       pings in between), writes {@code NAME.stats} and {@code NAME.wg}, closes, writes
 *       {@code NAME.closed}.
 * </ul>
 * Not thread-safe; one invocation per JVM.
 */
public final class GuestMain {
  private static final Duration GO_DEADLINE = Duration.ofSeconds(150);
  private static final Duration WG_DEADLINE = Duration.ofSeconds(30);
  private static final IpPrefix CONFIGURE_ADDRESS = IpPrefix.parse("10.99.0.1/24");

  private GuestMain() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length == 3 && args[0].equals("configure")) {
      configure(args[1], args[2]);
    } else if (args.length == 4 && args[0].equals("tunnel")) {
      tunnel(args[1], IpPrefix.parse(args[2]), args[3]);
    } else {
      System.err.println("usage: GuestMain configure IFACE NAME | tunnel IFACE ADDRESS NAME");
      System.exit(2);
    }
  }

  private static void configure(String iface, String name) throws IOException, InterruptedException {
    WgDump desired = WgDump.parse(read(name + ".desired"));
    NetworkBackend backend = netlinkBackend();
    try {
      up(backend, iface, desired, CONFIGURE_ADDRESS);
      write(name + ".readback", formatStats(backend));
      writeWgDump(iface, name + ".wg");
    } finally {
      backend.close();
    }
    writeLinkPresence(iface, name + ".closed");
  }

  private static void tunnel(String iface, IpPrefix address, String name) throws IOException, InterruptedException {
    WgDump desired = WgDump.parse(read(name + ".desired"));
    NetworkBackend backend = netlinkBackend();
    try {
      up(backend, iface, desired, address);
      write(name + ".ready", "");
      awaitFile(Path.of("tunnel.go"), GO_DEADLINE);
      write(name + ".stats", formatStats(backend));
      writeWgDump(iface, name + ".wg");
    } finally {
      backend.close();
    }
    writeLinkPresence(iface, name + ".closed");
  }

  private static void up(NetworkBackend backend, String iface, WgDump desired, IpPrefix address) throws IOException {
    backend.up(new InterfaceConfig(iface, desired.privateKey().orElseThrow(), desired.listenPort(), address,
        InterfaceConfig.DEFAULT_MTU));
    for (WgDump.Peer peer : desired.peers()) {
      backend.addPeer(new PeerConfig(peer.publicKey(), peer.presharedKey().orElse(null),
          peer.endpoint().orElse(null), peer.allowedIps(), peer.persistentKeepalive().orElse(0)));
    }
  }

  /** One line per peer: public key, endpoint, latest handshake (epoch seconds, 0 for none), rx, tx. */
  private static String formatStats(NetworkBackend backend) throws IOException {
    StringBuilder text = new StringBuilder();
    for (PeerStats stats : backend.peerStats()) {
      StringJoiner line = new StringJoiner("\t");
      line.add(stats.publicKey().toBase64());
      line.add(stats.endpoint() == null ? "(none)" : stats.endpoint().toString());
      line.add(Long.toString(stats.lastHandshake() == null ? 0 : stats.lastHandshake().getEpochSecond()));
      line.add(Long.toString(stats.rxBytes()));
      line.add(Long.toString(stats.txBytes()));
      text.append(line).append('\n');
    }
    return text.toString();
  }

  private static NetworkBackend netlinkBackend() throws IOException {
    PartyConfig config = PartyConfig.builder().home(Path.of("/tmp/partynet-guest")).networkBackend("netlink").build();
    for (NetworkBackendProvider provider : ServiceLoader.load(NetworkBackendProvider.class)) {
      if (provider.name().equals("netlink")) {
        if (!provider.isAvailable(config)) {
          throw new IOException("the netlink backend says it cannot run here: " + provider.unavailableReason(config));
        }
        return provider.create(config);
      }
    }
    throw new IOException("no NetworkBackendProvider named netlink on the class path");
  }

  private static void writeWgDump(String iface, String file) throws IOException, InterruptedException {
    Process wg = new ProcessBuilder("wg", "show", iface, "dump")
        .redirectOutput(Path.of(file).toFile()).redirectError(Path.of(file + ".err").toFile()).start();
    if (!wg.waitFor(WG_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
      wg.destroyForcibly();
      throw new IOException("wg show " + iface + " dump did not finish within " + WG_DEADLINE);
    }
    if (wg.exitValue() != 0) {
      throw new IOException("wg show " + iface + " dump exited with " + wg.exitValue() + ": " + read(file + ".err"));
    }
  }

  /** "removed" when the interface is gone from this namespace, "present" otherwise. */
  private static void writeLinkPresence(String iface, String file) throws IOException {
    write(file, Files.exists(Path.of("/sys/class/net", iface)) ? "present\n" : "removed\n");
  }

  private static void awaitFile(Path file, Duration timeout) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (!Files.exists(file)) {
      if (Instant.now().isAfter(deadline)) {
        throw new IOException(file + " did not appear within " + timeout);
      }
      Thread.sleep(100);
    }
  }

  private static String read(String file) throws IOException {
    return Files.readString(Path.of(file), StandardCharsets.UTF_8);
  }

  private static void write(String file, String text) throws IOException {
    Files.writeString(Path.of(file), text, StandardCharsets.UTF_8);
  }
}
