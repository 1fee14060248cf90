package io.partynet.wireguard.embedded.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.partynet.Endpoint;
import io.partynet.IpPrefix;
import io.partynet.Key;
import io.partynet.PartyServerSocket;
import io.partynet.PartyStreamSocket;
import io.partynet.PortExposure;
import io.partynet.TransportProtocol;
import io.partynet.spi.InterfaceConfig;
import io.partynet.spi.PartyNetwork;
import io.partynet.spi.PeerConfig;
import io.partynet.testing.Eventually;
import io.partynet.wireguard.embedded.internal.crypto.X25519;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assumptions;

/**
 * The fixture the kernel-TCP interop tests share: a {@link WireGuardGoLab} (wireguard-go in a
 * namespace at 10.200.N.1), an embedded member at 10.200.N.2 in this JVM, a 100 MiB file with its
 * SHA-256, and the kernel-side programs (curl, socat, python3, iperf3) run in the namespace. How
 * the two WireGuard sockets reach each other is a {@link UdpPath}: directly, or through a
 * forwarder of the test's. {@link #close()} ends every process it started (by pid), the backend
 * and the lab. Skips the test class (an assumption) when a tool is missing. Not thread-safe.
 */
final class KernelTcpLab implements AutoCloseable {
  /** The figure: 100 MiB each way, hashed. */
  static final int BIG = 100 * 1024 * 1024;
  static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration TRANSFER = Duration.ofSeconds(100);

  /** The endpoints each WireGuard side is told for the other. */
  record Ends(InetSocketAddress embeddedSendsTo, InetSocketAddress wireGuardGoSendsTo) {}

  /** Joins the embedded member's UDP socket and wireguard-go's, both given as seen from the root namespace. */
  @FunctionalInterface
  interface UdpPath {
    Ends join(InetSocketAddress embedded, InetSocketAddress wireGuardGo) throws IOException;
  }

  /** Each side sends straight to the other. */
  static final UdpPath DIRECT = (embedded, wireGuardGo) -> new Ends(wireGuardGo, embedded);

  final WireGuardGoLab lab;
  final EmbeddedBackend backend;
  final PartyNetwork net;
  final Path big;
  final byte[] bigHash;
  private final List<Process> processes = new ArrayList<>();

  private KernelTcpLab(WireGuardGoLab lab, EmbeddedBackend backend, Path big, byte[] bigHash) {
    this.lab = lab;
    this.backend = backend;
    this.net = backend.partyNetwork().orElseThrow();
    this.big = big;
    this.bigHash = bigHash;
  }

  /** Builds the lab, joins the two sides through {@code path} and waits for the first ping through the tunnel. */
  static KernelTcpLab open(MutableClock clock, UdpPath path) throws Exception {
    for (String tool : new String[] {"iptables", "curl", "socat", "iperf3", "python3", "ping", "sha256sum"}) {
      Assumptions.assumeTrue(onPath(tool), "needs " + tool + " (see .ci/run)");
    }
    SecureRandom random = new SecureRandom();
    Key embeddedPrivate = Key.fromBytes(X25519.generatePrivateKey(random));
    Key wgPrivate = Key.fromBytes(X25519.generatePrivateKey(random));
    WireGuardGoLab lab = new WireGuardGoLab();
    EmbeddedBackend backend = null;
    try {
      lab.createNamespace();
      InetAddress root = InetAddress.getByName(lab.rootAddress());
      backend = EmbeddedBackend.builder().clock(clock).bindAddress(root).build();
      int embeddedPort = backend.up(new InterfaceConfig(lab.interfaceName("e"), embeddedPrivate, 0,
          IpPrefix.parse(lab.embeddedTunnelAddress() + "/24"), 1420));
      int wgPort = 41000 + random.nextInt(2000);
      Ends ends = path.join(new InetSocketAddress(root, embeddedPort),
          new InetSocketAddress(InetAddress.getByName(lab.nsAddress()), wgPort));
      lab.startWireGuardGo(wgPrivate.toBase64(), wgPort,
          Key.fromBytes(X25519.publicKey(embeddedPrivate.toBytes())).toBase64(),
          ends.wireGuardGoSendsTo().getPort(), "");
      backend.addPeer(new PeerConfig(Key.fromBytes(X25519.publicKey(wgPrivate.toBytes())), null,
          new Endpoint(ends.embeddedSendsTo().getAddress().getHostAddress(), ends.embeddedSendsTo().getPort()),
          List.of(IpPrefix.parse(lab.wgTunnelAddress() + "/32")), 0));
      Path big = lab.dir().resolve("big.bin");
      byte[] data = new byte[BIG];
      new SplittableRandom(7).nextBytes(data);
      Files.write(big, data);
      KernelTcpLab kernel = new KernelTcpLab(lab, backend, big, MessageDigest.getInstance("SHA-256").digest(data));
      kernel.awaitFirstPing();
      return kernel;
    } catch (Exception | AssertionError e) {
      if (backend != null) {
        backend.close();
      }
      lab.close();
      throw e;
    }
  }

  private void awaitFirstPing() {
    Eventually.until(WAIT, () -> {
      try {
        return backend.ping(lab.wgTunnelAddress(), Duration.ofMillis(500));
      } catch (IOException | InterruptedException e) {
        return false;
      }
    }, "the first ping through the tunnel");
  }

  @Override
  public void close() {
    for (Process p : processes) {
      p.destroyForcibly();
    }
    backend.close();
    lab.close();
  }

  /**
   * Exposes a fresh {@code python3 -m http.server} (on loopback, serving the lab directory) at the
   * embedded member's {@code virtualPort} and downloads the 100 MiB file from the namespace with curl.
   *
   * @return the SHA-256 of what curl received, in hex
   */
  String downloadThroughExpose(int virtualPort) throws IOException {
    int httpPort = freePort();
    startHttpServer(httpPort);
    try (PortExposure exposure = net.expose(TransportProtocol.TCP, virtualPort,
        new InetSocketAddress(InetAddress.getLoopbackAddress(), httpPort))) {
      return curlHash("http://" + lab.embeddedTunnelAddress() + ":" + virtualPort + "/big.bin");
    }
  }

  /** The kernel side sends big.bin with socat to an embedded listener that hashes what arrives. */
  byte[] uploadAndHash(int port, int size) throws Exception {
    try (PartyServerSocket server = net.listen(port)) {
      CompletableFuture<byte[]> hashed = CompletableFuture.supplyAsync(() -> {
        try (PartyStreamSocket s = server.accept(WAIT)) {
          s.setReadTimeout(WAIT);
          MessageDigest digest = MessageDigest.getInstance("SHA-256");
          byte[] buffer = new byte[64 * 1024];
          long total = 0;
          int n;
          while ((n = s.inputStream().read(buffer)) >= 0) {
            digest.update(buffer, 0, n);
            total += n;
          }
          assertEquals(size, total);
          return digest.digest();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      inNamespace(TRANSFER, "socat", "-u", "FILE:" + big,
          "TCP:" + lab.embeddedTunnelAddress() + ":" + port);
      return hashed.get(TRANSFER.toSeconds(), TimeUnit.SECONDS);
    }
  }

  /** Runs curl in the namespace and returns the SHA-256 of what it fetched, in hex. */
  String curlHash(String url) throws IOException {
    String out = inNamespace(TRANSFER, "sh", "-c",
        "curl -sS --max-time " + (TRANSFER.toSeconds() - 10) + " " + url + " | sha256sum");
    return out.split(" ")[0].trim();
  }

  void startHttpServer(int port) throws IOException {
    Process p = new ProcessBuilder("python3", "-m", "http.server", Integer.toString(port), "--bind", "127.0.0.1",
        "--directory", lab.dir().toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    processes.add(p);
    Eventually.until(WAIT, () -> {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return true;
      } catch (IOException e) {
        return false;
      }
    }, "python3 -m http.server on 127.0.0.1:" + port);
  }

  /** Starts a long-running program in the namespace; {@link #close()} ends it if the test did not. */
  Process startInNamespace(String... command) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", lab.namespace));
    cmd.addAll(List.of(command));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    processes.add(p);
    return p;
  }

  void waitForKernelPort(int port) {
    Eventually.until(WAIT, () -> {
      try {
        return inNamespace(WAIT, "ss", "-Hltn", "sport = :" + port).contains(":" + port);
      } catch (IOException e) {
        return false;
      }
    }, "a kernel server on " + lab.wgTunnelAddress() + ":" + port);
  }

  String inNamespace(Duration timeout, String... command) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", lab.namespace));
    cmd.addAll(List.of(command));
    return run(timeout, cmd.toArray(new String[0]));
  }

  /**
   * Runs {@code command} in the root namespace.
   *
   * @return what it printed (stdout and stderr)
   * @throws IOException when it exits non-zero or does not end within {@code timeout}
   */
  static String run(Duration timeout, String... command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> {
      try {
        return p.getInputStream().readAllBytes();
      } catch (IOException e) {
        return new byte[0];
      }
    });
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IOException("timed out after " + timeout + ": " + String.join(" ", command));
      }
      String out = new String(output.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + out);
      }
      return out;
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      p.destroyForcibly();
      throw new IOException(e);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return Files.isExecutable(Path.of("/usr/sbin", tool));
  }
}
