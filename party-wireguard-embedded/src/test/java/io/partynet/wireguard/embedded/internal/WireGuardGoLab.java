package io.partynet.wireguard.embedded.internal;

import io.partynet.testing.lab.Commands;
import io.partynet.testing.lab.Lab;
import io.partynet.testing.lab.LabException;
import io.partynet.testing.lab.LabProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The interop tests' fixture on the test kit's {@link Lab}: a network namespace with a veth to the
 * root namespace and a wireguard-go interface inside it, configured with {@code wg} and
 * {@code ip}. Names come from the lab's unique prefix; {@link #close()} closes the lab, which ends
 * every process it started (by pid) and deletes the namespace. Tests using it carry
 * {@code @LabTest(needs = LabTest.Need.WIREGUARD_GO)}.
 *
 * <p>Root side 198.18.N.1/30, namespace side 198.18.N.2/30 (RFC 2544 benchmarking range), tunnel
 * 10.200.N.0/24 with wireguard-go at .1 and the embedded peer at .2. Not thread-safe.
 */
final class WireGuardGoLab implements AutoCloseable {
  private static final Duration ECHO_START = Duration.ofSeconds(20);

  final Lab lab = Lab.open();
  final String rootVeth = lab.interfaceName("r");
  final String nsVeth = lab.interfaceName("n");
  final String wgInterface = lab.interfaceName("w");
  final int subnet = 1 + new SecureRandom().nextInt(250);
  String namespace;
  private LabProcess wireguardGo;
  private String lastWireGuardGoOutput = "";

  /** A unique interface name for this lab, e.g. the embedded backend's: see {@link Lab#interfaceName}. */
  String interfaceName(String role) {
    return lab.interfaceName(role);
  }

  /**
   * Runs {@code command} in the root namespace (bounded by the kit's default timeout).
   *
   * @return what it printed
   * @throws IOException when it exits non-zero or times out
   */
  static String run(String... command) throws IOException {
    try {
      return Commands.run(command).orThrow().output();
    } catch (LabException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** The lab's scratch directory. */
  Path dir() {
    return lab.workDir();
  }

  String rootAddress() {
    return "198.18." + subnet + ".1";
  }

  String nsAddress() {
    return "198.18." + subnet + ".2";
  }

  String wgTunnelAddress() {
    return "10.200." + subnet + ".1";
  }

  String embeddedTunnelAddress() {
    return "10.200." + subnet + ".2";
  }

  void createNamespace() {
    namespace = lab.addNamespace("wg");
    lab.veth(null, rootVeth, namespace, nsVeth);
    lab.ip(null, "addr", "add", rootAddress() + "/30", "dev", rootVeth);
    lab.ip(namespace, "addr", "add", nsAddress() + "/30", "dev", nsVeth);
  }

  /** Starts wireguard-go in the namespace and configures key, port, address and the embedded peer. */
  void startWireGuardGo(String privateKeyBase64, int listenPort, String peerPublicKey, int peerPort,
      String extraPeerArgs) {
    wireguardGo = lab.startWireGuardGo(namespace, wgInterface);
    Path keyFile = lab.wireGuardKey("wg", privateKeyBase64);
    List<String> cmd = new ArrayList<>(List.of("wg", "set", wgInterface,
        "private-key", keyFile.toString(), "listen-port", Integer.toString(listenPort), "peer", peerPublicKey,
        "endpoint", rootAddress() + ":" + peerPort, "allowed-ips", embeddedTunnelAddress() + "/32"));
    if (!extraPeerArgs.isEmpty()) {
      cmd.addAll(List.of(extraPeerArgs.split(" ")));
    }
    lab.run(namespace, cmd.toArray(new String[0])).orThrow();
    lab.ip(namespace, "addr", "add", wgTunnelAddress() + "/24", "dev", wgInterface);
    lab.ip(namespace, "link", "set", wgInterface, "up");
  }

  /** CPU time wireguard-go has used so far, in nanoseconds. */
  long wireGuardGoCpuNanos() {
    return wireguardGo.cpuTime().toNanos();
  }

  void stopWireGuardGo() {
    if (wireguardGo != null) {
      lab.stopWireGuardGo(wireguardGo, wgInterface);
      lastWireGuardGoOutput = wireguardGo.output();
      wireguardGo = null;
    }
  }

  /** Starts {@link UdpEcho} inside the namespace on the tunnel address and waits until it is bound. */
  LabProcess startEcho(int port, String helloTarget) {
    List<String> args = new ArrayList<>(List.of(wgTunnelAddress(), Integer.toString(port)));
    if (helloTarget != null) {
      args.add(helloTarget);
    }
    LabProcess echo = lab.startJava(namespace, UdpEcho.class, args.toArray(new String[0]));
    echo.awaitLine("ready"::equals, ECHO_START);
    return echo;
  }

  void stop(LabProcess process) {
    process.close();
  }

  /** Runs {@code wg args...} in the namespace and returns its output. */
  String wg(String... args) {
    List<String> cmd = new ArrayList<>(List.of("wg"));
    cmd.addAll(List.of(args));
    return lab.run(namespace, cmd.toArray(new String[0])).orThrow().output();
  }

  /** What wireguard-go printed (the running one, or the last one stopped). */
  String log() {
    return wireguardGo != null ? wireguardGo.output() : lastWireGuardGoOutput;
  }

  @Override
  public void close() {
    lab.close();
  }
}
