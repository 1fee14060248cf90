package io.partynet.core.lab;

import io.partynet.Endpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A small internet in network namespaces, as lab.md describes: an "internet" bridge, coturn with
 * two public addresses (STUN with RFC 5780, and TURN with long-term credentials), and home networks
 * ({@link #addSite}) with real NAT routers. {@link #close()} ends every process the lab started
 * (by pid) and deletes every namespace, also after a failure half-way through a build.
 *
 * <p>Addresses: the internet is 203.0.113.0/24 (coturn at .1 and .2, site {@code n}'s public
 * address .{@code 10+n}); site {@code n}'s LAN is 192.168.{@code n}.0/24 (router .1, host .2).
 * Names: every namespace and interface starts with {@code pnn} and a random suffix.
 *
 * <p>Typical use, one lab per test class:
 * <pre>{@code
 * NatLab.assumeAvailable();
 * try (NatLab lab = NatLab.start()) {
 *   LabSite home = lab.addSite(NatKind.PORT_RESTRICTED_CONE);
 *   lab.run(home.hostNamespace(), "ping", "-c1", "203.0.113.1").orThrow();
 *   LabProcess jvm = lab.startJava(home.hostNamespace(), MyMain.class, "arg");
 *   String answer = jvm.awaitValue("RESULT ", Duration.ofSeconds(20));
 * }
 * }</pre>
 *
 * <p>Thread-safe for use from one test thread at a time (its methods are synchronized).
 */
public final class NatLab implements AutoCloseable {
  public static final String STUN_PRIMARY = "203.0.113.1";
  public static final String STUN_ALTERNATE = "203.0.113.2";
  public static final int STUN_PORT = 3478;
  public static final int STUN_ALT_PORT = 3479;
  public static final String TURN_USER = "partynet";
  public static final String TURN_PASSWORD = "lab-secret";
  public static final String TURN_REALM = "lab.partynet.test";

  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final List<String> TOOLS = List.of("ip", "iptables", "conntrack", "turnserver", "ss");

  private final String prefix;
  private final Path workDir;
  private final String internet;
  private final String stunNamespace;
  private final Deque<String> namespaces = new ArrayDeque<>();
  private final Deque<LabProcess> processes = new ArrayDeque<>();
  private final List<LabSite> sites = new ArrayList<>();
  private boolean closed;

  private NatLab() throws IOException {
    this.prefix = "pnn" + HexFormat.of().formatHex(randomBytes(2));
    this.workDir = Files.createTempDirectory(prefix + "-lab");
    this.internet = prefix + "-inet";
    this.stunNamespace = prefix + "-stun";
  }

  /**
   * Skips the calling test (JUnit assumption) unless this machine can run the lab: root, the tools
   * of lab.md on the PATH, and /dev/net/tun.
   */
  public static void assumeAvailable() {
    Assumptions.assumeTrue(isRoot(), "the NAT lab needs root (network namespaces, iptables)");
    for (String tool : TOOLS) {
      Assumptions.assumeTrue(onPath(tool), "the NAT lab needs `" + tool + "` on the PATH");
    }
    Assumptions.assumeTrue(Files.exists(Path.of("/dev/net/tun")), "the NAT lab needs /dev/net/tun");
  }

  /** Also skips unless wireguard-go and wg are installed. */
  public static void assumeWireGuardAvailable() {
    assumeAvailable();
    Assumptions.assumeTrue(onPath("wireguard-go"), "needs `wireguard-go` on the PATH");
    Assumptions.assumeTrue(onPath("wg"), "needs `wg` (wireguard-tools) on the PATH");
  }

  /** Builds the internet and starts coturn; returns once coturn's four UDP sockets are bound. */
  public static NatLab start() {
    NatLab lab;
    try {
      lab = new NatLab();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      lab.buildInternet();
      return lab;
    } catch (RuntimeException | Error e) {
      lab.close();
      throw e;
    }
  }

  /** The lab's unique name prefix (namespaces, interfaces). */
  public String prefix() {
    return prefix;
  }

  /** A scratch directory removed by {@link #close()}. */
  public Path workDir() {
    return workDir;
  }

  /** coturn's primary STUN/TURN address. */
  public Endpoint stunServer() {
    return new Endpoint(STUN_PRIMARY, STUN_PORT);
  }

  public Endpoint turnServer() {
    return stunServer();
  }

  public String internetNamespace() {
    return internet;
  }

  public String stunNamespace() {
    return stunNamespace;
  }

  public synchronized List<LabSite> sites() {
    return List.copyOf(sites);
  }

  private void buildInternet() {
    addNamespace(internet);
    ip(internet, "link", "add", prefix + "br", "type", "bridge");
    ip(internet, "link", "set", prefix + "br", "up");
    addNamespace(stunNamespace);
    String wan = attachToInternet(stunNamespace, "s");
    ip(stunNamespace, "addr", "add", STUN_PRIMARY + "/24", "dev", wan);
    ip(stunNamespace, "addr", "add", STUN_ALTERNATE + "/24", "dev", wan);
    startCoturn();
  }

  private void startCoturn() {
    Path userDb = workDir.resolve("turnuserdb.sqlite");
    LabProcess coturn = start(stunNamespace, "coturn",
        "turnserver", "-n",
        "--listening-ip", STUN_PRIMARY, "--listening-ip", STUN_ALTERNATE,
        "--listening-port", Integer.toString(STUN_PORT), "--alt-listening-port", Integer.toString(STUN_ALT_PORT),
        "--relay-ip", STUN_PRIMARY,
        "--lt-cred-mech", "--user", TURN_USER + ":" + TURN_PASSWORD, "--realm", TURN_REALM,
        "--fingerprint", "--userdb", userDb.toString(),
        "--no-tls", "--no-dtls", "--no-cli", "--log-file", "stdout");
    List<String> expected = List.of(
        STUN_PRIMARY + ":" + STUN_PORT, STUN_PRIMARY + ":" + STUN_ALT_PORT,
        STUN_ALTERNATE + ":" + STUN_PORT, STUN_ALTERNATE + ":" + STUN_ALT_PORT);
    await("coturn to bind its four UDP sockets", Duration.ofSeconds(15), () -> {
      if (!coturn.isAlive()) {
        throw new LabException("turnserver exited:\n" + coturn.output());
      }
      String sockets = run(stunNamespace, "ss", "-ulnH").orThrow().output();
      return expected.stream().allMatch(sockets::contains);
    });
  }

  /** Adds a home network of the given kind and returns it; the host can reach coturn when this returns. */
  public synchronized LabSite addSite(NatKind kind) {
    int n = sites.size() + 1;
    if (n > 40) {
      throw new LabException("a lab holds at most 40 sites");
    }
    String publicAddress = "203.0.113." + (10 + n);
    String host = prefix + "-h" + n;
    addNamespace(host);
    LabSite site;
    if (kind == NatKind.OPEN) {
      String eth = attachToInternet(host, "h" + n);
      ip(host, "addr", "add", publicAddress + "/24", "dev", eth);
      site = new LabSite(kind, host, null, publicAddress, publicAddress);
    } else {
      String router = prefix + "-r" + n;
      addNamespace(router);
      String wan = attachToInternet(router, "r" + n);
      ip(router, "addr", "add", publicAddress + "/24", "dev", wan);
      String lan = prefix + "l" + n;
      String eth = prefix + "e" + n;
      ip(null, "link", "add", lan, "netns", router, "type", "veth", "peer", "name", eth, "netns", host);
      String routerLan = "192.168." + n + ".1";
      String hostAddress = "192.168." + n + ".2";
      ip(router, "addr", "add", routerLan + "/24", "dev", lan);
      ip(router, "link", "set", lan, "up");
      ip(host, "addr", "add", hostAddress + "/24", "dev", eth);
      ip(host, "link", "set", eth, "up");
      ip(host, "route", "add", "default", "via", routerLan);
      configureRouter(router, kind, wan, lan, hostAddress);
      site = new LabSite(kind, host, router, hostAddress, publicAddress);
    }
    sites.add(site);
    return site;
  }

  /** The firewall and NAT of lab.md: INPUT and FORWARD dropped but for the LAN and established flows. */
  private void configureRouter(String router, NatKind kind, String wan, String lan, String hostAddress) {
    run(router, "sysctl", "-qw", "net.ipv4.ip_forward=1").orThrow();
    iptables(router, "-P", "INPUT", "DROP");
    iptables(router, "-A", "INPUT", "-i", lan, "-j", "ACCEPT");
    iptables(router, "-A", "INPUT", "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT");
    iptables(router, "-P", "FORWARD", "DROP");
    iptables(router, "-A", "FORWARD", "-i", lan, "-j", "ACCEPT");
    iptables(router, "-A", "FORWARD", "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT");
    switch (kind) {
      case PORT_RESTRICTED_CONE -> iptables(router, "-t", "nat", "-A", "POSTROUTING", "-o", wan, "-j", "MASQUERADE");
      case SYMMETRIC -> iptables(router, "-t", "nat", "-A", "POSTROUTING", "-o", wan, "-j", "MASQUERADE",
          "--random-fully");
      case FULL_CONE -> {
        iptables(router, "-t", "nat", "-A", "POSTROUTING", "-o", wan, "-j", "MASQUERADE");
        iptables(router, "-t", "nat", "-A", "PREROUTING", "-i", wan, "-p", "udp", "-j", "DNAT",
            "--to-destination", hostAddress);
        iptables(router, "-A", "FORWARD", "-m", "conntrack", "--ctstate", "DNAT", "-j", "ACCEPT");
      }
      case OPEN -> throw new IllegalArgumentException("an open site has no router");
    }
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

  /** Runs a command in {@code namespace} (null: the root namespace) and waits up to 20 s for it. */
  public CommandResult run(String namespace, String... command) {
    return run(namespace, COMMAND_TIMEOUT, command);
  }

  public CommandResult run(String namespace, Duration timeout, String... command) {
    List<String> full = inNamespace(namespace, List.of(command));
    try {
      Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
      p.getOutputStream().close();
      // Read on another thread so a chatty command cannot block on a full pipe.
      StringBuilder out = new StringBuilder();
      Thread reader = new Thread(() -> {
        try {
          String text = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
          synchronized (out) {
            out.append(text);
          }
        } catch (IOException ignored) {
          // the output is best effort
        }
      });
      reader.setDaemon(true);
      reader.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new LabException("`" + String.join(" ", full) + "` did not finish in " + timeout.toMillis() + " ms");
      }
      reader.join(2000);
      synchronized (out) {
        return new CommandResult(full, p.exitValue(), out.toString());
      }
    } catch (IOException e) {
      throw new LabException("cannot run " + full + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LabException("interrupted while running " + full);
    }
  }

  /** Starts a long-running process in {@code namespace}; {@link #close()} ends it by pid. */
  public synchronized LabProcess start(String namespace, String name, String... command) {
    List<String> full = inNamespace(namespace, List.of(command));
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
    return start(namespace, mainClass.getSimpleName() + "@" + namespace, command.toArray(String[]::new));
  }

  /**
   * Starts wireguard-go for interface {@code ifName} in {@code namespace} and waits for its UAPI
   * socket. The name must be unique on the machine (the socket directory is not per namespace):
   * use {@link #interfaceName(String)}.
   */
  public LabProcess startWireGuardGo(String namespace, String ifName) {
    LabProcess wg = start(namespace, "wireguard-go:" + ifName, "wireguard-go", "-f", ifName);
    Path socket = Path.of("/var/run/wireguard", ifName + ".sock");
    await("wireguard-go to create " + socket, Duration.ofSeconds(10), () -> {
      if (!wg.isAlive()) {
        throw new LabException("wireguard-go exited:\n" + wg.output());
      }
      return Files.exists(socket);
    });
    return wg;
  }

  /** A unique interface name: the lab prefix plus {@code role}, at most 15 characters. */
  public String interfaceName(String role) {
    String name = prefix + role;
    if (name.length() > 15 || !role.matches("[a-z0-9]+")) {
      throw new IllegalArgumentException("interface role must be lowercase alphanumerics and short: " + role);
    }
    return name;
  }

  /** Creates a private key file (mode 0600) with `wg genkey` and returns its path. */
  public Path wireGuardKey(String name) {
    String key = run(null, "wg", "genkey").orThrow().output().strip();
    try {
      Path file = workDir.resolve(name + ".key");
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, key + "\n");
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The public key of a private key file, by `wg pubkey`. */
  public String wireGuardPublicKey(Path privateKeyFile) {
    try {
      Process p = new ProcessBuilder("wg", "pubkey").redirectInput(privateKeyFile.toFile()).start();
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
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

  /** Polls {@code condition} every 50 ms until it is true; throws with {@code what} after {@code timeout}. */
  public static void await(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
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

  /** Ends every process (by pid, newest first), deletes every namespace and the scratch directory. */
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
      String ns = namespaces.pop();
      run(null, "ip", "netns", "del", ns);
    }
    try (Stream<Path> files = Files.walk(workDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temp directory is harmless
    }
  }

  private void addNamespace(String name) {
    run(null, "ip", "netns", "add", name).orThrow();
    namespaces.push(name);
    ip(name, "link", "set", "lo", "up");
  }

  /** Connects {@code namespace} to the internet bridge; returns its interface name there. */
  private String attachToInternet(String namespace, String role) {
    String bridgeSide = prefix + "b" + role;
    String inside = prefix + "w" + role;
    ip(null, "link", "add", bridgeSide, "netns", internet, "type", "veth", "peer", "name", inside, "netns", namespace);
    ip(internet, "link", "set", bridgeSide, "master", prefix + "br", "up");
    ip(namespace, "link", "set", inside, "up");
    return inside;
  }

  private void ip(String namespace, String... args) {
    List<String> command = new ArrayList<>();
    command.add("ip");
    if (namespace != null) {
      command.add("-n");
      command.add(namespace);
    }
    command.addAll(List.of(args));
    run(null, command.toArray(String[]::new)).orThrow();
  }

  private void iptables(String namespace, String... args) {
    List<String> command = new ArrayList<>(List.of("iptables", "-w"));
    command.addAll(List.of(args));
    run(namespace, command.toArray(String[]::new)).orThrow();
  }

  private static List<String> inNamespace(String namespace, List<String> command) {
    if (namespace == null) {
      return command;
    }
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    full.addAll(command);
    return full;
  }

  private static boolean isRoot() {
    try {
      Process p = new ProcessBuilder("id", "-u").start();
      String uid = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).strip();
      return p.waitFor(5, TimeUnit.SECONDS) && "0".equals(uid);
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static boolean onPath(String tool) {
    String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin";
    return Stream.of(path.split(":")).anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, tool)));
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  @Override
  public String toString() {
    return "NatLab[" + prefix + ", " + sites.size() + " sites]";
  }
}
