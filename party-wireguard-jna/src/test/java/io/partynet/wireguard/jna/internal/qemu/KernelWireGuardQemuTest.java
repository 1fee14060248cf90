package io.partynet.wireguard.jna.internal.qemu;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.partynet.Endpoint;
import io.partynet.IpPrefix;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The netlink backend against a real kernel: boots Debian's kernel (which has the WireGuard
 * module) under qemu once, runs {@link GuestMain} inside it through src/test/qemu/guest-checks.sh,
 * and checks what the guest recorded. See docs/qemu-kernel-test.md.
 *
 * <p>Skips only when qemu is not installed or no Debian kernel package can be had. The kernel
 * cache is {@code $PARTYNET_QEMU_CACHE}, else /var/cache/partynet-qemu when writable, else
 * target/partynet-qemu-cache. Guest files stay in target/qemu-kernel-test/ for inspection.
 */
@EnabledOnOs(OS.LINUX) // the guest runs the host's own binaries
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KernelWireGuardQemuTest {
  private static final Duration PREPARE_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration GUEST_TIMEOUT = Duration.ofMinutes(4);
  private static final Endpoint TUNNEL_A = new Endpoint("198.51.100.1", 51821);
  private static final Endpoint TUNNEL_B = new Endpoint("198.51.100.2", 51822);

  private final Path moduleDir = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
  private final Path workDir = moduleDir.resolve("target/qemu-kernel-test");
  private final Path exchange = workDir.resolve("exchange");

  private KeyPairs.Pair kernelCheckKey;
  private WgDump desiredLarge;
  private WgDump desiredA;
  private WgDump desiredB;

  /** Why this machine cannot run the guest; null when it can. Each test skips with it. */
  private String unavailable;

  @BeforeAll
  void bootGuestOnce() throws IOException {
    if (!onPath(QemuGuest.QEMU)) {
      skipAll(QemuGuest.QEMU + " is not installed (apt-get install qemu-system-x86)");
      return;
    }
    KernelImage image;
    try {
      image = prepareKernel();
    } catch (KernelImage.PreparationException e) {
      if (!e.packageUnavailable()) {
        throw e;
      }
      skipAll("no Debian kernel package can be had here: " + e.getMessage());
      return;
    }
    prepareExchange();

    long started = System.nanoTime();
    Path console = workDir.resolve("console.log");
    int qemuExit;
    try (QemuGuest guest = QemuGuest.start(image, exchange, console)) {
      qemuExit = guest.awaitExit(GUEST_TIMEOUT);
    } catch (IOException e) {
      throw new IOException(e.getMessage() + "\nsteps finished (name start end):\n" + guestFileOr("timings", "none")
          + "\nconsole:\n" + Files.readString(console), e);
    }
    System.out.printf("guest (kernel %s) ran %.1f s; qemu exit status %d%nsteps (name start end):%n%s", image.release(),
        (System.nanoTime() - started) / 1e9, qemuExit, guestFileOr("timings", "none\n"));
    assertEquals("0", guestFileOr("exit-status", "(missing)").strip(),
        "the guest script did not finish; console:\n" + Files.readString(console));
  }

  @Test
  void guestHasNoNetworkCardSoNothingLeavesIt() throws IOException {
    assertStepSucceeded("guest-links");
    List<String> names = guestFile("guest-links.log").lines().map(line -> line.split(":")[1].strip()).toList();
    assertEquals(List.of("lo"), names, "links of the fresh guest:\n" + guestFile("guest-links.log"));
  }

  @Test
  void guestKernelMakesWireGuardInterfacesWithReferenceTools() throws IOException {
    assertStepSucceeded("kernel-check");
    WgDump dump = WgDump.parse(guestFile("kernel-check.dump"));
    assertEquals(kernelCheckKey.publicKey(), dump.publicKey().orElseThrow(), "public key the kernel derived");
    assertEquals(41000, dump.listenPort());
  }

  @Test
  void backendReadBackEqualsWgShowDump() throws IOException {
    assertStepSucceeded("configure");
    // Parsed and formatted again, so that equal values print equally (IPv6 spelling) and a
    // difference shows as a readable line diff.
    assertEquals(WgDump.parse(guestFile("configure.wg")).format(), WgDump.parse(guestFile("configure.readback")).format(),
        "what the netlink backend read back vs wg show wg0 dump");
  }

  @Test
  void kernelHoldsTheDesiredConfiguration() throws IOException {
    assertStepSucceeded("configure");
    assertSameConfiguration(desiredLarge, WgDump.parse(guestFile("configure.wg")));
  }

  @Test
  void backendReadBackAfterSpiEditsEqualsWgShowDump() throws IOException {
    assertStepSucceeded("configure");
    assertEquals(WgDump.parse(guestFile("edited.wg")).format(), WgDump.parse(guestFile("edited.readback")).format(),
        "after removePeer/updatePeer: what the netlink backend read back vs wg show wg0 dump");
  }

  @Test
  void spiEditsReachTheKernel() throws IOException {
    assertStepSucceeded("configure");
    assertSameConfiguration(DesiredConfigs.edited(desiredLarge), WgDump.parse(guestFile("edited.wg")));
  }

  /** Equal up to order: the kernel lists allowed IPs in its own (trie) order. */
  private static void assertSameConfiguration(WgDump expected, WgDump dump) {
    WgDump actual = dump.configuration();
    assertEquals(expected.privateKey(), actual.privateKey());
    assertEquals(expected.publicKey(), actual.publicKey());
    assertEquals(expected.listenPort(), actual.listenPort());
    assertEquals(expected.fwmark(), actual.fwmark());
    assertEquals(byKey(expected).keySet(), byKey(actual).keySet(), "peer public keys");
    Map<String, WgDump.Peer> actualPeers = byKey(actual);
    assertAll(expected.peers().stream().map(peer -> () -> {
      String key = peer.publicKey().toBase64();
      WgDump.Peer found = actualPeers.get(key);
      assertEquals(peer.presharedKey(), found.presharedKey(), "preshared key of " + key);
      assertEquals(peer.endpoint(), found.endpoint(), "endpoint of " + key);
      assertEquals(peer.persistentKeepalive(), found.persistentKeepalive(), "keepalive of " + key);
      assertEquals(new HashSet<>(peer.allowedIps()), new HashSet<>(found.allowedIps()), "allowed IPs of " + key);
      assertEquals(peer.allowedIps().size(), found.allowedIps().size(), "allowed IPs of " + key + " listed once each");
    }));
  }

  @Test
  void aLinkLeftByAKilledMemberIsReplacedAndAForeignOneIsLeftAlone() throws IOException {
    assertStepSucceeded("configure");
    assertEquals("(none)", guestFileOr("leftover.error", "(none)"), "the leftover check failed in the guest");
    Map<String, String> result = guestFile("leftover.result").lines().map(line -> line.split("=", 2))
        .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));
    assertEquals("wireguard", result.get("left-kind"));
    assertTrue(result.get("left-alias").startsWith("partynet"), "the backend marks its links: " + result);
    assertEquals("true", result.get("replaced"), "a new link took the leftover's place: " + result);
    assertEquals(result.get("restarted-public-key"),
        WgDump.parse(guestFile("leftover.wg")).publicKey().orElseThrow().toBase64(),
        "the replacement starts from nothing: it has the restarted member's key");
    assertEquals("EEXIST", result.get("foreign"), "a WireGuard link without the marker is refused: " + result);
    assertEquals("true", result.get("foreign-kept"), "and left untouched: " + result);
  }

  @Test
  void closingTheBackendRemovesTheInterfaces() throws IOException {
    assertStepSucceeded("configure-closed");
    assertStepSucceeded("tunnel-closed");
  }

  @Test
  void interfacesInTwoNamespacesPingEachOtherOverTheTunnel() throws IOException {
    assertStepSucceeded("tunnel-setup");
    assertStepSucceeded("tunnel-ready");
    assertStepSucceeded("ping");
    assertEquals("0", guestFileOr("tunnel.status", "(missing)").strip(), "tunnel JVM:\n" + guestFileOr("tunnel.log", ""));
    assertTunnelSide("tunnel-a", desiredB);
    assertTunnelSide("tunnel-b", desiredA);
  }

  private void assertTunnelSide(String name, WgDump other) throws IOException {
    List<WgDump.Peer> wgPeers = WgDump.parse(guestFile(name + ".wg")).peers();
    List<String> stats = guestFile(name + ".stats").lines().toList();
    assertEquals(1, wgPeers.size(), name + " peers in wg show");
    assertEquals(1, stats.size(), name + " peers read by the backend");
    WgDump.Peer wgPeer = wgPeers.get(0);
    String[] fields = stats.get(0).split("\t");
    assertEquals(other.publicKey().orElseThrow(), wgPeer.publicKey());
    assertEquals(wgPeer.publicKey().toBase64(), fields[0], name + ": peer key read by the backend");
    assertEquals(wgPeer.endpoint().map(Endpoint::toString).orElse("(none)"), fields[1], name + ": endpoint");
    assertTrue(wgPeer.latestHandshakeSeconds() > 0, name + ": wg show reports no handshake");
    assertEquals(wgPeer.latestHandshakeSeconds(), Long.parseLong(fields[2]), name + ": latest handshake");
    long rx = Long.parseLong(fields[3]);
    long tx = Long.parseLong(fields[4]);
    // The backend read first, wg a moment later: counters may only have grown in between.
    assertTrue(rx > 0 && rx <= wgPeer.rxBytes(), name + ": rx " + rx + " vs wg " + wgPeer.rxBytes());
    assertTrue(tx > 0 && tx <= wgPeer.txBytes(), name + ": tx " + tx + " vs wg " + wgPeer.txBytes());
  }

  private static Map<String, WgDump.Peer> byKey(WgDump dump) {
    return dump.peers().stream().collect(Collectors.toMap(peer -> peer.publicKey().toBase64(), Function.identity()));
  }

  @BeforeEach
  void requireGuest() {
    assumeTrue(unavailable == null, () -> "skipped, the kernel WireGuard guest cannot run here: " + unavailable);
  }

  private void skipAll(String reason) {
    unavailable = reason;
    System.err.println("KernelWireGuardQemuTest skips every test: " + reason);
  }

  private KernelImage prepareKernel() throws IOException {
    Files.createDirectories(workDir);
    return KernelImage.prepare(moduleDir.resolve("src/test/qemu/prepare-kernel.sh"), cacheDir(),
        workDir.resolve("prepare-kernel.log"), PREPARE_TIMEOUT);
  }

  private Path cacheDir() {
    String configured = System.getenv("PARTYNET_QEMU_CACHE");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    Path system = Path.of("/var/cache");
    return Files.isWritable(system) ? system.resolve("partynet-qemu") : moduleDir.resolve("target/partynet-qemu-cache");
  }

  private void prepareExchange() throws IOException {
    if (Files.exists(exchange)) {
      try (Stream<Path> old = Files.walk(exchange)) {
        for (Path path : old.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
    Files.createDirectories(exchange);
    Files.copy(moduleDir.resolve("src/test/qemu/guest-checks.sh"), exchange.resolve("run.sh"));
    Files.writeString(exchange.resolve("env"), "JAVA=" + shellQuote(Path.of(System.getProperty("java.home"), "bin", "java").toString())
        + "\nCLASSPATH=" + shellQuote(testClassPath()) + "\n");

    kernelCheckKey = KeyPairs.generate();
    Files.writeString(exchange.resolve("kernel-check.key"), kernelCheckKey.privateKey().toBase64() + "\n");
    long seed = System.nanoTime();
    System.out.println("large configuration seed " + seed);
    desiredLarge = DesiredConfigs.large(KeyPairs.generate(), seed);
    Files.writeString(exchange.resolve("configure.desired"), desiredLarge.format());
    KeyPairs.Pair a = KeyPairs.generate();
    KeyPairs.Pair b = KeyPairs.generate();
    desiredA = DesiredConfigs.tunnelSide(a, TUNNEL_A.port(), b.publicKey(), TUNNEL_B, IpPrefix.parse("10.77.0.2/32"));
    desiredB = DesiredConfigs.tunnelSide(b, TUNNEL_B.port(), a.publicKey(), TUNNEL_A, IpPrefix.parse("10.77.0.1/32"));
    Files.writeString(exchange.resolve("tunnel-a.desired"), desiredA.format());
    Files.writeString(exchange.resolve("tunnel-b.desired"), desiredB.format());
  }

  /** Surefire runs tests from a manifest-only jar; the real class path is in this property. */
  private static String testClassPath() {
    return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
  }

  private static String shellQuote(String value) {
    if (value.contains("'")) {
      throw new IllegalArgumentException("cannot pass a path with a single quote to the guest: " + value);
    }
    return "'" + value + "'";
  }

  private void assertStepSucceeded(String step) throws IOException {
    assertEquals("0", guestFileOr(step + ".status", "(missing)").strip(),
        "guest step " + step + " failed:\n" + guestFileOr(step + ".log", "(no log)"));
  }

  private String guestFile(String name) throws IOException {
    return Files.readString(exchange.resolve(name), StandardCharsets.UTF_8);
  }

  private String guestFileOr(String name, String fallback) throws IOException {
    Path file = exchange.resolve(name);
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : fallback;
  }

  private static boolean onPath(String program) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, program)));
  }
}
