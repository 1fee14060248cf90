package io.partynet.wireguard.jna.internal.qemu;

import io.partynet.IpPrefix;
import io.partynet.Key;
import io.partynet.spi.InterfaceConfig;
import io.partynet.spi.PeerConfig;
import io.partynet.spi.PeerStats;
import io.partynet.wireguard.jna.internal.device.DeviceConfig;
import io.partynet.wireguard.jna.internal.device.DeviceState;
import io.partynet.wireguard.jna.internal.device.PeerSettings;
import io.partynet.wireguard.jna.internal.device.PeerState;
import io.partynet.wireguard.jna.internal.device.ErrnoException;
import io.partynet.wireguard.jna.internal.netlink.LinkInfo;
import io.partynet.wireguard.jna.internal.netlink.NetlinkBackend;
import io.partynet.wireguard.jna.internal.netlink.NetworkNamespace;
import io.partynet.wireguard.jna.internal.netlink.RtNetlink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * Runs inside the qemu guest (started by src/test/qemu/guest-checks.sh, no JUnit there): drives
 * the {@code netlink} backend against the guest's kernel and writes down what it observed, next
 * to what {@code wg show IFACE dump} prints at the same moment. {@link KernelWireGuardQemuTest}
 * compares the files after the guest powered off. All files are in the working directory (the
 * exchange folder):
 * <ul>
 *   <li>{@code configure}: brings up {@code wg0} and applies {@code configure.desired} (a
 *       {@link WgDump}) with one set operation, then writes the backend's read-back to
 *       {@code configure.readback} and {@code wg show wg0 dump} to {@code configure.wg}; then
 *       makes {@link DesiredConfigs#edited}'s changes through the SPI and writes
 *       {@code edited.readback} and {@code edited.wg}. Then, in the same JVM (a JVM start costs
 *       16-26 s under emulation), the leftover check: a backend brings up {@code wgl} and is
 *       abandoned without close, as a SIGKILLed member leaves it; a new backend brings up
 *       {@code wgl} again; a kernel WireGuard link {@code wgf} made without the SDK's marker is
 *       refused. Its observations go to {@code leftover.result} (key=value lines), a failure to
 *       {@code leftover.error}; wgl and wgf are removed at the end.
 *   <li>{@code tunnel}: brings up {@code wga} in namespace {@code pna} and {@code wgb} in
 *       {@code pnb} through the backend's public API, with the peers of {@code tunnel-a.desired}
 *       and {@code tunnel-b.desired}; writes {@code tunnel.ready}, waits for {@code tunnel.go}
 *       (the script pings in between), then writes each side's {@code .stats} and {@code .wg}.
 * </ul>
 * Both close the backend at the end; the script then checks that the interfaces are gone.
 * Not thread-safe; one invocation per JVM.
 */
public final class GuestMain {
  private static final Duration GO_DEADLINE = Duration.ofSeconds(150);
  private static final Duration WG_DEADLINE = Duration.ofSeconds(30);
  private static final IpPrefix CONFIGURE_ADDRESS = IpPrefix.parse("10.99.0.1/24");
  /**
   * Bound on each netlink exchange. The backend's default (5 s) is for real hardware: under
   * emulation on a busy host, the first call into a namespace, which also loads JNA's native
   * library, took longer than that in 2 of 3 runs.
   */
  private static final Duration NETLINK_TIMEOUT = Duration.ofSeconds(30);

  /** One WireGuard interface of the tunnel check. */
  private record TunnelSide(String name, String namespace, String iface, IpPrefix address) {}

  private static final List<TunnelSide> TUNNEL = List.of(
      new TunnelSide("tunnel-a", "pna", "wga", IpPrefix.parse("10.77.0.1/24")),
      new TunnelSide("tunnel-b", "pnb", "wgb", IpPrefix.parse("10.77.0.2/24")));

  private GuestMain() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length == 1 && args[0].equals("configure")) {
      configure();
    } else if (args.length == 1 && args[0].equals("tunnel")) {
      tunnel();
    } else {
      System.err.println("usage: GuestMain configure|tunnel");
      System.exit(2);
    }
  }

  private static void configure() throws IOException, InterruptedException {
    WgDump desired = WgDump.parse(read("configure.desired"));
    try (NetlinkBackend backend = new NetlinkBackend(options(Optional.empty()))) {
      backend.up(new InterfaceConfig("wg0", desired.privateKey().orElseThrow(), desired.listenPort(),
          CONFIGURE_ADDRESS, InterfaceConfig.DEFAULT_MTU));
      long started = System.nanoTime();
      backend.configure(toDeviceConfig(desired));
      long configured = System.nanoTime();
      DeviceState state = backend.state();
      System.out.printf("set %d peers in %.1f ms, read them back in %.1f ms%n", desired.peers().size(),
          (configured - started) / 1e6, (System.nanoTime() - configured) / 1e6);
      write("configure.readback", toDump(state).format());
      writeWgDump(List.of(), "wg0", "configure.wg");

      backend.removePeer(desired.peers().get(DesiredConfigs.REMOVED_PEER).publicKey());
      backend.updatePeer(new PeerConfig(desired.peers().get(DesiredConfigs.UPDATED_PEER).publicKey(), null, DesiredConfigs.UPDATED_ENDPOINT,
          DesiredConfigs.UPDATED_ALLOWED_IPS, DesiredConfigs.UPDATED_KEEPALIVE));
      backend.updatePeer(new PeerConfig(KeyPairs.generate().publicKey(), null, DesiredConfigs.UPDATED_ENDPOINT,
          List.of(), 0));
      write("edited.readback", toDump(backend.state()).format());
      writeWgDump(List.of(), "wg0", "edited.wg");
    }
    try {
      leftover();
    } catch (IOException | RuntimeException e) {
      java.io.StringWriter trace = new java.io.StringWriter();
      e.printStackTrace(new java.io.PrintWriter(trace));
      write("leftover.error", trace.toString());
    }
  }

  private static void leftover() throws IOException, InterruptedException {
    StringBuilder result = new StringBuilder();
    KeyPairs.Pair crashed = KeyPairs.generate();
    NetlinkBackend abandoned = new NetlinkBackend(options(Optional.empty()));
    abandoned.up(new InterfaceConfig("wgl", crashed.privateKey(), 41001, IpPrefix.parse("10.98.0.1/24"),
        InterfaceConfig.DEFAULT_MTU));
    // No close(): the kernel keeps the link, as after a SIGKILL.
    try (RtNetlink rtnl = RtNetlink.open(NETLINK_TIMEOUT)) {
      LinkInfo left = rtnl.link("wgl").orElseThrow();
      result.append("left-kind=").append(left.kind().orElse("")).append('\n');
      result.append("left-alias=").append(left.alias().orElse("")).append('\n');

      KeyPairs.Pair restarted = KeyPairs.generate();
      try (NetlinkBackend fresh = new NetlinkBackend(options(Optional.empty()))) {
        fresh.up(new InterfaceConfig("wgl", restarted.privateKey(), 41002, IpPrefix.parse("10.98.0.1/24"),
            InterfaceConfig.DEFAULT_MTU));
        writeWgDump(List.of(), "wgl", "leftover.wg");
        result.append("restarted-public-key=").append(restarted.publicKey().toBase64()).append('\n');
        result.append("replaced=").append(rtnl.link("wgl").orElseThrow().index() != left.index()).append('\n');
      }

      int foreign = rtnl.createLink("wgf", "wireguard");
      try (NetlinkBackend intruder = new NetlinkBackend(options(Optional.empty()))) {
        intruder.up(new InterfaceConfig("wgf", restarted.privateKey(), 41003, IpPrefix.parse("10.98.1.1/24"),
            InterfaceConfig.DEFAULT_MTU));
        result.append("foreign=brought-up\n");
      } catch (ErrnoException e) {
        result.append("foreign=").append(e.errno()).append('\n');
      }
      result.append("foreign-kept=").append(rtnl.link("wgf").map(l -> l.index() == foreign).orElse(false)).append('\n');
      rtnl.deleteLink(foreign);
    }
    write("leftover.result", result.toString());
  }

  private static void tunnel() throws IOException, InterruptedException {
    List<NetlinkBackend> backends = new ArrayList<>();
    try {
      for (TunnelSide side : TUNNEL) {
        WgDump desired = WgDump.parse(read(side.name() + ".desired"));
        NetlinkBackend backend = new NetlinkBackend(options(Optional.of(NetworkNamespace.named(side.namespace()))));
        backends.add(backend);
        backend.up(new InterfaceConfig(side.iface(), desired.privateKey().orElseThrow(), desired.listenPort(),
            side.address(), InterfaceConfig.DEFAULT_MTU));
        for (WgDump.Peer peer : desired.peers()) {
          backend.addPeer(new PeerConfig(peer.publicKey(), peer.presharedKey().orElse(null),
              peer.endpoint().orElse(null), peer.allowedIps(), peer.persistentKeepalive().orElse(0)));
        }
      }
      write("tunnel.ready", "");
      awaitFile(Path.of("tunnel.go"), GO_DEADLINE);
      for (int i = 0; i < TUNNEL.size(); i++) {
        TunnelSide side = TUNNEL.get(i);
        write(side.name() + ".stats", formatStats(backends.get(i).peerStats()));
        writeWgDump(List.of("ip", "netns", "exec", side.namespace()), side.iface(), side.name() + ".wg");
      }
    } finally {
      for (NetlinkBackend backend : backends) {
        backend.close();
      }
    }
  }

  private static NetlinkBackend.Options options(Optional<NetworkNamespace> namespace) {
    return new NetlinkBackend.Options(namespace, NETLINK_TIMEOUT, NetlinkBackend.Options.defaults().messageLimit());
  }

  private static DeviceConfig toDeviceConfig(WgDump dump) {
    DeviceConfig.Builder config = DeviceConfig.builder().privateKey(dump.privateKey().orElseThrow())
        .listenPort(dump.listenPort()).fwmark(dump.fwmark()).replacePeers(true);
    for (WgDump.Peer peer : dump.peers()) {
      PeerSettings.Builder settings = PeerSettings.builder(peer.publicKey()).allowedIps(peer.allowedIps())
          .replaceAllowedIps(true).persistentKeepaliveSeconds(peer.persistentKeepalive().orElse(0));
      peer.presharedKey().ifPresent(settings::presharedKey);
      peer.endpoint().ifPresent(settings::endpoint);
      config.peer(settings.build());
    }
    return config.build();
  }

  /** As wg prints it: an all-zero key (WireGuard's "none") as absent, keepalive 0 as off. */
  private static WgDump toDump(DeviceState state) {
    List<WgDump.Peer> peers = new ArrayList<>();
    for (PeerState peer : state.peers()) {
      peers.add(new WgDump.Peer(peer.publicKey(), nonZero(peer.presharedKey()), peer.endpoint(), peer.allowedIps(),
          peer.lastHandshake().map(Instant::getEpochSecond).orElse(0L), peer.rxBytes(), peer.txBytes(),
          peer.persistentKeepaliveSeconds() == 0 ? OptionalInt.empty() : OptionalInt.of(peer.persistentKeepaliveSeconds())));
    }
    return new WgDump(nonZero(state.privateKey()), nonZero(state.publicKey()), state.listenPort(), state.fwmark(), peers);
  }

  private static Optional<Key> nonZero(Optional<Key> key) {
    return key.filter(k -> !k.isZero());
  }

  /** One line per peer: public key, endpoint, latest handshake (epoch seconds, 0 for none), rx, tx. */
  static String formatStats(List<PeerStats> peers) {
    StringBuilder text = new StringBuilder();
    for (PeerStats stats : peers) {
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

  private static void writeWgDump(List<String> prefix, String iface, String file)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(prefix);
    command.addAll(List.of("wg", "show", iface, "dump"));
    Process wg = new ProcessBuilder(command)
        .redirectOutput(Path.of(file).toFile()).redirectError(Path.of(file + ".err").toFile()).start();
    if (!wg.waitFor(WG_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
      wg.destroyForcibly();
      throw new IOException(command + " did not finish within " + WG_DEADLINE);
    }
    if (wg.exitValue() != 0) {
      throw new IOException(command + " exited with " + wg.exitValue() + ": " + read(file + ".err"));
    }
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
