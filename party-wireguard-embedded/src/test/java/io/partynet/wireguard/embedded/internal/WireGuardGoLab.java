package io.partynet.wireguard.embedded.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A network namespace with a veth to the root namespace and a wireguard-go interface inside it,
 * configured with {@code wg} and {@code ip}. Names carry the {@code pne} prefix and a random
 * suffix; {@link #close()} ends every process it started (by pid) and deletes the namespace.
 *
 * <p>Root side 198.18.N.1/30, namespace side 198.18.N.2/30 (RFC 2544 benchmarking range), tunnel
 * 10.200.N.0/24 with wireguard-go at .1 and the embedded peer at .2. Not thread-safe.
 */
final class WireGuardGoLab implements AutoCloseable {
  final String suffix;
  final String namespace;
  final String rootVeth;
  final String nsVeth;
  final String wgInterface;
  final int subnet;
  final Path dir;
  private final List<Process> processes = new ArrayList<>();
  private Process wireguardGo;
  private boolean namespaceCreated;

  WireGuardGoLab() throws IOException {
    SecureRandom random = new SecureRandom();
    suffix = Integer.toString(0x100000 + random.nextInt(0xEFFFFF), 36);
    namespace = "pne-" + suffix;
    rootVeth = "pne" + suffix + "r";
    nsVeth = "pne" + suffix + "n";
    wgInterface = "pne" + suffix + "w";
    subnet = 1 + random.nextInt(250);
    dir = Files.createTempDirectory("pne-lab");
  }

  /** Skips the test (JUnit assumption) when this machine cannot run the lab. */
  static void assumeCapable() {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root (network namespaces)");
    for (String tool : new String[] {"ip", "wg", "wireguard-go"}) {
      Assumptions.assumeTrue(onPath(tool), "needs " + tool + " on PATH (packages iproute2, wireguard-tools, wireguard-go)");
    }
    Assumptions.assumeTrue(Files.exists(Paths.get("/dev/net/tun")), "needs /dev/net/tun for wireguard-go");
  }

  private static boolean onPath(String tool) {
    for (String dirName : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
      if (Files.isExecutable(Paths.get(dirName, tool))) {
        return true;
      }
    }
    return Files.isExecutable(Paths.get("/usr/sbin", tool)) || Files.isExecutable(Paths.get("/sbin", tool));
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

  void createNamespace() throws IOException {
    run("ip", "netns", "add", namespace);
    namespaceCreated = true;
    run("ip", "link", "add", rootVeth, "type", "veth", "peer", "name", nsVeth);
    run("ip", "link", "set", nsVeth, "netns", namespace);
    run("ip", "addr", "add", rootAddress() + "/30", "dev", rootVeth);
    run("ip", "link", "set", rootVeth, "up");
    run("ip", "-n", namespace, "addr", "add", nsAddress() + "/30", "dev", nsVeth);
    run("ip", "-n", namespace, "link", "set", nsVeth, "up");
    run("ip", "-n", namespace, "link", "set", "lo", "up");
  }

  /** Starts wireguard-go in the namespace and configures key, port, address and the embedded peer. */
  void startWireGuardGo(String privateKeyBase64, int listenPort, String peerPublicKey, int peerPort,
      String extraPeerArgs) throws IOException {
    ProcessBuilder pb = new ProcessBuilder("ip", "netns", "exec", namespace, "wireguard-go", "-f", wgInterface)
        .redirectErrorStream(true).redirectOutput(dir.resolve("wireguard-go.log").toFile());
    wireguardGo = pb.start();
    processes.add(wireguardGo);
    Path socket = Paths.get("/var/run/wireguard", wgInterface + ".sock");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!Files.exists(socket)) {
      if (System.nanoTime() > deadline || !wireguardGo.isAlive()) {
        throw new IOException("wireguard-go did not create " + socket + ": " + log());
      }
      sleep(20);
    }
    Path keyFile = dir.resolve("wg.key");
    Files.deleteIfExists(keyFile);
    Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(keyFile, privateKeyBase64 + "\n");
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace, "wg", "set", wgInterface,
        "private-key", keyFile.toString(), "listen-port", Integer.toString(listenPort), "peer", peerPublicKey,
        "endpoint", rootAddress() + ":" + peerPort, "allowed-ips", embeddedTunnelAddress() + "/32"));
    if (!extraPeerArgs.isEmpty()) {
      cmd.addAll(List.of(extraPeerArgs.split(" ")));
    }
    run(cmd.toArray(new String[0]));
    run("ip", "-n", namespace, "addr", "add", wgTunnelAddress() + "/24", "dev", wgInterface);
    run("ip", "-n", namespace, "link", "set", wgInterface, "up");
  }

  void stopWireGuardGo() throws IOException {
    if (wireguardGo != null) {
      wireguardGo.destroy();
      try {
        if (!wireguardGo.waitFor(5, TimeUnit.SECONDS)) {
          wireguardGo.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      processes.remove(wireguardGo);
      wireguardGo = null;
    }
    Path socket = Paths.get("/var/run/wireguard", wgInterface + ".sock");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (Files.exists(socket) && System.nanoTime() < deadline) {
      sleep(20);
    }
  }

  /** Starts {@link UdpEcho} inside the namespace on the tunnel address and waits until it is bound. */
  Process startEcho(int port, String helloTarget) throws IOException {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    String classes;
    try {
      classes = Paths.get(UdpEcho.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (java.net.URISyntaxException e) {
      throw new IOException(e);
    }
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace, java, "-Xshare:auto",
        "-XX:TieredStopAtLevel=1", "-cp", classes, UdpEcho.class.getName(), wgTunnelAddress(), Integer.toString(port)));
    if (helloTarget != null) {
      cmd.add(helloTarget);
    }
    Process echo = new ProcessBuilder(cmd).redirectError(dir.resolve("echo.err").toFile()).start();
    processes.add(echo);
    BufferedReader out = new BufferedReader(new InputStreamReader(echo.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (!"ready".equals(line)) {
      throw new IOException("echo did not start: " + line + " " + Files.readString(dir.resolve("echo.err")));
    }
    return echo;
  }

  void stop(Process p) {
    p.destroy();
    try {
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    processes.remove(p);
  }

  String wg(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace, "wg"));
    cmd.addAll(List.of(args));
    return run(cmd.toArray(new String[0]));
  }

  String log() {
    try {
      return Files.readString(dir.resolve("wireguard-go.log"));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  static String run(String... cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("timed out: " + String.join(" ", cmd));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + String.join(" ", cmd), e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + out);
    }
    return out;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    for (Process p : new ArrayList<>(processes)) {
      stop(p);
    }
    if (namespaceCreated) {
      try {
        run("ip", "netns", "del", namespace);
      } catch (IOException e) {
        System.err.println("could not delete namespace " + namespace + ": " + e.getMessage());
      }
      try {
        run("ip", "link", "del", rootVeth);
      } catch (IOException ignoredAlreadyGoneWithNamespace) {
        // deleting the namespace removes the veth pair as well
      }
    }
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      System.err.println("could not clean " + dir + ": " + e.getMessage());
    }
  }
}
