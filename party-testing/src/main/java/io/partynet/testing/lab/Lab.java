package io.partynet.testing.lab;

import io.partynet.Endpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * The one network-namespace lab of PartyNet's tests. A lab owns a unique name prefix, the
 * namespaces and veth pairs it made, the processes it started (wireguard-go, coturn, child JVMs)
 * and a scratch directory; {@link #close()} ends every process by pid, deletes every namespace
 * and the directory, also after a failure half-way through a build. Tests that use it carry
 * {@link LabTest}, which skips them only where root, namespaces or a tool are really missing.
 *
 * <p>Two shapes: {@link #open()} is an empty lab (add namespaces and veths yourself, e.g. two
 * wireguard-go peers); {@link #withInternet()} also builds a small internet, as lab.md describes:
 * an "internet" bridge, coturn with two public addresses (STUN with RFC 5780, TURN with
 * long-term credentials), and home networks ({@link #addSite}) with real NAT routers. Internet
 * addresses are 203.0.113.0/24 (coturn at .1 and .2, site {@code n}'s public address
 * .{@code 10+n}); site {@code n}'s LAN is 192.168.{@code n}.0/24 (router .1, host .2).
 *
 * <pre>{@code
 * @LabTest(needs = LabTest.Need.NAT)
 * class MyLabTest {
 *   @Test void reachesStun() {
 *     try (Lab lab = Lab.withInternet()) {
 *       LabSite home = lab.addSite(NatKind.PORT_RESTRICTED_CONE);
 *       lab.run(home.hostNamespace(), "ping", "-c1", Lab.STUN_PRIMARY).orThrow();
 *       LabProcess jvm = lab.startJava(home.hostNamespace(), MyMain.class, "arg");
 *       String answer = jvm.awaitValue("RESULT ", Duration.ofSeconds(20));
 *     }
 *   }
 * }
 * }</pre>
 *
 * <p>Thread-safe: its methods are synchronized where they change the lab.
 */
public final class Lab implements AutoCloseable {
  public static final String STUN_PRIMARY = "203.0.113.1";
  public static final String STUN_ALTERNATE = "203.0.113.2";
  public static final int STUN_PORT = 3478;
  public static final int STUN_ALT_PORT = 3479;
  public static final String TURN_USER = "partynet";
  public static final String TURN_PASSWORD = "lab-secret";
  public static final String TURN_REALM = "lab.partynet.test";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String prefix;
  private final Path workDir;
  private final Deque<String> namespaces = new ArrayDeque<>();
  private final Deque<String> rootLinks = new ArrayDeque<>();
  private final Deque<LabProcess> processes = new ArrayDeque<>();
  private LabInternet internet;
  private boolean closed;

  private Lab() throws IOException {
    this.prefix = "pnl" + HexFormat.of().formatHex(randomBytes(2));
    this.workDir = Files.createTempDirectory(prefix + "-lab");
  }

  /** An empty lab: a prefix, a scratch directory, nothing built yet. */
  public static Lab open() {
    try {
      return new Lab();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A lab with the internet and coturn built; returns once coturn's four UDP sockets are bound. */
  public static Lab withInternet() {
    Lab lab = open();
    try {
      synchronized (lab) {
        lab.internet = LabInternet.build(lab);
      }
      return lab;
    } catch (RuntimeException | Error e) {
      lab.close();
      throw e;
    }
  }

  /** The lab's unique name prefix (namespaces, interfaces): {@code pnl} and four hex digits. */
  public String prefix() {
    return prefix;
  }

  /** A scratch directory removed by {@link #close()}. */
  public Path workDir() {
    return workDir;
  }

  /** A unique interface name: the lab prefix plus {@code role}, at most 15 characters. */
  public String interfaceName(String role) {
    String name = prefix + role;
    if (name.length() > 15 || !role.matches("[a-z0-9]+")) {
      throw new IllegalArgumentException("interface role must be lowercase alphanumerics and short: " + role);
    }
    return name;
  }

  /** Creates namespace {@code PREFIX-role} with its loopback up; {@link #close()} deletes it. */
  public synchronized String addNamespace(String role) {
    String name = prefix + "-" + role;
    run(null, "ip", "netns", "add", name).orThrow();
    namespaces.push(name);
    ip(name, "link", "set", "lo", "up");
    return name;
  }

  /**
   * Creates a veth pair, {@code nameA} in {@code namespaceA} and {@code nameB} in {@code namespaceB}
   * (null: the root namespace), both ends up. A root-side end is deleted by {@link #close()}; the
   * others go with their namespace.
   */
  public synchronized void veth(String namespaceA, String nameA, String namespaceB, String nameB) {
    List<String> command = new ArrayList<>(List.of("ip", "link", "add", nameA));
    if (namespaceA != null) {
      command.addAll(List.of("netns", namespaceA));
    }
    command.addAll(List.of("type", "veth", "peer", "name", nameB));
    if (namespaceB != null) {
      command.addAll(List.of("netns", namespaceB));
    }
    run(null, command.toArray(String[]::new)).orThrow();
    if (namespaceA == null) {
      rootLinks.push(nameA);
    } else if (namespaceB == null) {
      rootLinks.push(nameB);
    }
    ip(namespaceA, "link", "set", nameA, "up");
    ip(namespaceB, "link", "set", nameB, "up");
  }

  /** Runs {@code ip [-n namespace] args...} and fails with its output when it fails. */
  public void ip(String namespace, String... args) {
    List<String> command = new ArrayList<>();
    command.add("ip");
    if (namespace != null) {
      command.add("-n");
      command.add(namespace);
    }
    command.addAll(List.of(args));
    run(null, command.toArray(String[]::new)).orThrow();
  }

  /** Runs a command in {@code namespace} (null: the root namespace) and waits up to 20 s for it. */
  public CommandResult run(String namespace, String... command) {
    return run(namespace, Commands.DEFAULT_TIMEOUT, command);
  }

  public CommandResult run(String namespace, Duration timeout, String... command) {
    return Commands.run(timeout, Commands.inNamespace(namespace, List.of(command)));
  }

  /** Starts a long-running process in {@code namespace}; {@link #close()} ends it by pid. */
  public synchronized LabProcess start(String namespace, String name, String... command) {
    List<String> full = Commands.inNamespace(namespace, List.of(command));
    try {
      Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
      LabProcess process = new LabProcess(name, p);
      processes.push(process);
      return process;
    } catch (IOException e) {
      throw new LabException("cannot start " + full + ": " + e.getMessage(), e);
    }
  }

  /**
   * Starts {@code mainClass} in a child JVM inside {@code namespace}, with this JVM's test class
   * path (so test mains and the module's code are both there). Talk to it with
   * {@link LabProcess#awaitValue} and {@link LabProcess#send}.
   */
  public LabProcess startJava(String namespace, Class<?> mainClass, String... args) {
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
        "-cp", classPath, mainClass.getName()));
    command.addAll(List.of(args));
    LabProcess process = start(namespace, mainClass.getSimpleName() + "@" + namespace, command.toArray(String[]::new));
    io.partynet.testing.VisibleArguments.assertNoSecret(process.pid(), mainClass.getName());
    return process;
  }

  /**
   * Starts wireguard-go for interface {@code ifName} in {@code namespace} and waits for its UAPI
   * socket. The name must be unique on the machine (the socket directory is not per namespace):
   * use {@link #interfaceName(String)}.
   */
  public LabProcess startWireGuardGo(String namespace, String ifName) {
    LabProcess wg = start(namespace, "wireguard-go:" + ifName, "wireguard-go", "-f", ifName);
    Path socket = uapiSocket(ifName);
    await("wireguard-go to create " + socket, Duration.ofSeconds(10), () -> {
      if (!wg.isAlive()) {
        throw new LabException("wireguard-go exited:\n" + wg.output());
      }
      return Files.exists(socket);
    });
    return wg;
  }

  /** Ends a wireguard-go this lab started and waits until its UAPI socket is gone. */
  public void stopWireGuardGo(LabProcess wireguardGo, String ifName) {
    wireguardGo.close();
    Path socket = uapiSocket(ifName);
    await("wireguard-go to remove " + socket, Duration.ofSeconds(5), () -> !Files.exists(socket));
  }

  /** Where wireguard-go listens for configuration of {@code ifName} (one directory for every namespace). */
  public static Path uapiSocket(String ifName) {
    return Path.of("/var/run/wireguard", ifName + ".sock");
  }

  /** Writes a private key file (mode 0600) with {@code base64Key}, or a new one from `wg genkey` when null. */
  public Path wireGuardKey(String name, String base64Key) {
    String key = base64Key != null ? base64Key : run(null, "wg", "genkey").orThrow().output().strip();
    try {
      Path file = workDir.resolve(name + ".key");
      Files.deleteIfExists(file);
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, key + "\n");
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates a new private key file (mode 0600) with `wg genkey` and returns its path. */
  public Path wireGuardKey(String name) {
    return wireGuardKey(name, null);
  }

  /** The public key of a private key file, by `wg pubkey`. */
  public String wireGuardPublicKey(Path privateKeyFile) {
    try {
      Process p = new ProcessBuilder("wg", "pubkey").redirectInput(privateKeyFile.toFile()).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new LabException("wg pubkey failed");
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LabException("interrupted");
    }
  }

  // ------------------------------------------------------------------ the internet (withInternet)

  /** coturn's primary STUN/TURN address. */
  public Endpoint stunServer() {
    requireInternet();
    return new Endpoint(STUN_PRIMARY, STUN_PORT);
  }

  public Endpoint turnServer() {
    return stunServer();
  }

  public synchronized String internetNamespace() {
    return requireInternet().bridgeNamespace();
  }

  public synchronized String stunNamespace() {
    return requireInternet().stunNamespace();
  }

  public synchronized List<LabSite> sites() {
    return internet == null ? List.of() : internet.sites();
  }

  /** Adds a home network of the given kind and returns it; the host can reach coturn when this returns. */
  public synchronized LabSite addSite(NatKind kind) {
    return requireInternet().addSite(kind);
  }

  /**
   * Adds one home network with {@code hosts} hosts on the same LAN behind one router that does not
   * hairpin (port-restricted or symmetric NAT); returns one site per host, sharing router and
   * public address.
   */
  public synchronized List<LabSite> addSharedSite(NatKind kind, int hosts) {
    return requireInternet().addSharedSite(kind, hosts);
  }

  /**
   * Adds a home network of {@code kind} (not OPEN) whose host also has a global IPv6 address
   * (2001:db8:n::2), routed without NAT behind the stateful firewall of a home router.
   */
  public synchronized LabSite addDualStackSite(NatKind kind) {
    return requireInternet().addDualStackSite(kind);
  }

  /** The global IPv6 address of a site made by {@link #addDualStackSite}; empty for other sites. */
  public synchronized java.util.Optional<String> ipv6Address(LabSite site) {
    return requireInternet().ipv6Address(site);
  }

  /** Flushes a router's conntrack table: every NAT mapping is forgotten, as in a NAT rebinding. */
  public void flushConntrack(LabSite site) {
    String router = site.router().orElseThrow(() -> new LabException("an open site has no NAT to flush"));
    CommandResult r = run(router, "conntrack", "-F");
    // conntrack -F reports "0 flow entries" with status 1 on some versions when the table is empty.
    if (!r.ok() && !r.output().contains("flow entries have been deleted")) {
      r.orThrow();
    }
  }

  private LabInternet requireInternet() {
    if (internet == null) {
      throw new IllegalStateException("this lab has no internet: start it with Lab.withInternet()");
    }
    return internet;
  }

  /** Polls {@code condition} every 50 ms until it is true; throws with {@code what} after {@code timeout}. */
  public static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new LabException("timed out after " + timeout.toMillis() + " ms waiting for " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LabException("interrupted while waiting for " + what);
      }
    }
  }

  /** Ends every process (by pid, newest first), deletes every namespace, veth and the scratch directory. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    while (!processes.isEmpty()) {
      processes.pop().close();
    }
    while (!namespaces.isEmpty()) {
      run(null, "ip", "netns", "del", namespaces.pop());
    }
    while (!rootLinks.isEmpty()) {
      // Usually gone with the namespace that held its peer; deleting it again just fails quietly.
      run(null, "ip", "link", "del", rootLinks.pop());
    }
    try (Stream<Path> files = Files.walk(workDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temp directory is harmless
    }
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  @Override
  public String toString() {
    return "Lab[" + prefix + ", " + sites().size() + " sites]";
  }
}
