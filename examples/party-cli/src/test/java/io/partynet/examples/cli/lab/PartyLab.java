package io.partynet.examples.cli.lab;

import io.partynet.NatType;
import io.partynet.core.internal.nat.discovery.FilteringBehavior;
import io.partynet.core.internal.nat.discovery.MappingBehavior;
import io.partynet.core.internal.nat.discovery.NatClassifier;
import io.partynet.testing.lab.LabException;
import io.partynet.testing.lab.LabProcess;
import io.partynet.testing.lab.LabSite;
import io.partynet.testing.lab.NatKind;
import io.partynet.testing.lab.Lab;
import io.partynet.examples.cli.PartyCli;
import io.partynet.server.internal.ServerMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The NAT lab with a PartyNet control plane server on the "internet" (its own public host) and
 * {@code party-cli} members in home networks. Members run with the uapi backend (wireguard-go),
 * coturn as STUN and TURN server, and short heartbeat and stale timeouts so that a crashed member
 * is noticed in seconds. {@link #close()} ends every member, the server, and the lab.
 *
 * <p>Thread-safe: members may be started from several threads (names come from an atomic counter,
 * the lab is thread-safe).
 */
public final class PartyLab implements AutoCloseable {
  static final int SERVER_PORT = 8080;
  /** How long a member may take to start: JVM, NAT detection (up to ~10 s behind a filtering NAT), control plane. */
  static final Duration MEMBER_START = Duration.ofSeconds(60);
  private static final Pattern MAPPING = Pattern.compile("NAT with (.+) Mapping!");
  private static final Pattern FILTERING = Pattern.compile("NAT with (.+) Filtering!");
  private static final Pattern REFLEXIVE = Pattern.compile("UDP reflexive addr: ([0-9.]+):[0-9]+");

  private final Lab lab;
  private final int staleSeconds;
  private final String names = "pnx" + HexFormat.of().formatHex(randomBytes(2));
  private final AtomicInteger counter = new AtomicInteger();
  private final List<LabMember> members = new ArrayList<>();
  /** Seconds a server-issued TURN credential lives; 0: the server hands out no ICE servers. */
  private final int credentialSeconds;
  private LabSite serverSite;
  private LabProcess server;

  private PartyLab(Lab lab, int staleSeconds, int credentialSeconds) {
    this.lab = lab;
    this.staleSeconds = staleSeconds;
    this.credentialSeconds = credentialSeconds;
  }

  /**
   * Starts the lab and the control plane server; members are dropped by the server after
   * {@code staleSeconds} without a heartbeat (they heartbeat every second).
   */
  public static PartyLab start(int staleSeconds) {
    return start(staleSeconds, 0);
  }

  /**
   * As {@link #start(int)}, but the server hands out the ICE servers (issue 12): coturn's STUN, and
   * a second coturn with {@code use-auth-secret} ({@link RestTurnServer}) as TURN server with
   * credentials living {@code credentialSeconds}; members then get nothing but the server's URL.
   */
  public static PartyLab startWithIceServers(int staleSeconds, int credentialSeconds) {
    if (credentialSeconds <= 0) {
      throw new IllegalArgumentException("credentialSeconds must be positive: " + credentialSeconds);
    }
    return start(staleSeconds, credentialSeconds);
  }

  private static PartyLab start(int staleSeconds, int credentialSeconds) {
    Lab lab = Lab.withInternet();
    PartyLab party = new PartyLab(lab, staleSeconds, credentialSeconds);
    try {
      if (credentialSeconds > 0) {
        RestTurnServer.start(lab);
      }
      party.startServer();
      return party;
    } catch (RuntimeException | Error e) {
      party.close();
      throw e;
    }
  }

  private void startServer() {
    serverSite = lab.addSite(NatKind.OPEN);
    List<String> args = new ArrayList<>(List.of(
        "--port", Integer.toString(SERVER_PORT), "--db", lab.workDir().resolve("party.db").toString(),
        "--stale-timeout", Integer.toString(staleSeconds), "--cleanup-interval", "1"));
    if (credentialSeconds > 0) {
      args.addAll(RestTurnServer.serverArguments(lab, credentialSeconds));
    }
    server = lab.startJava(serverSite.hostNamespace(), ServerMain.class, args.toArray(String[]::new));
    server.awaitLine(l -> l.contains("control plane server started"), MEMBER_START);
  }

  public Lab lab() {
    return lab;
  }

  public String serverUrl() {
    return "http://" + serverSite.hostAddress() + ":" + SERVER_PORT;
  }

  public LabSite serverSite() {
    return serverSite;
  }

  /** Stops the control plane server (SIGTERM, as a service manager would) and waits for it to exit. */
  public void stopServer() {
    server.close();
    if (server.isAlive()) {
      throw new LabException("the control plane server did not stop");
    }
  }

  /** Starts {@code party create} in {@code site}'s host; returns once the party exists. */
  public LabMember create(LabSite site, String name) {
    return startMember(site, name, "create", "party-of-" + name, List.of(), "uapi");
  }

  /** As {@link #create(LabSite, String)}, with extra {@code KEY=VALUE} settings for this member. */
  public LabMember create(LabSite site, String name, List<String> settings) {
    return startMember(site, name, "create", "party-of-" + name, settings, "uapi");
  }

  /** Starts {@code party join inviteCode} in {@code site}'s host; returns once join returned. */
  public LabMember join(LabSite site, String name, String inviteCode) {
    return startMember(site, name, "join", inviteCode, List.of(), "uapi");
  }

  /** As {@link #join(LabSite, String, String)}, with extra {@code KEY=VALUE} settings for this member. */
  public LabMember join(LabSite site, String name, String inviteCode, List<String> settings) {
    return startMember(site, name, "join", inviteCode, settings, "uapi");
  }

  /** As {@link #join(LabSite, String, String, List)} with another {@code --network} backend, e.g. {@code embedded}. */
  public LabMember join(LabSite site, String name, String inviteCode, List<String> settings, String network) {
    return startMember(site, name, "join", inviteCode, settings, network);
  }

  private LabMember startMember(LabSite site, String name, String command, String argument, List<String> settings,
      String network) {
    String interfaceName = names + "m" + counter.incrementAndGet();
    Path home;
    Path turnPassword;
    try {
      home = Files.createDirectories(lab.workDir().resolve("home-" + interfaceName));
      // A secret goes in a file only the member's user can read, never on the command line (ps).
      turnPassword = Files.writeString(Files.createFile(home.resolve("turn-password"),
          java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
              java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"))), Lab.TURN_PASSWORD);
    } catch (IOException e) {
      throw new LabException("cannot create a member home: " + e.getMessage(), e);
    }
    String stun = Lab.STUN_PRIMARY + ":" + Lab.STUN_PORT;
    List<String> args = new ArrayList<>(List.of(
        command, argument, "--name", name, "--home", home.toString(), "--network", network, "--server", serverUrl(),
        "--set", "control.fallback-to-local=false"));
    if (credentialSeconds == 0) {
      args.addAll(List.of(
          "--set", "nat.stun-servers=" + stun,
          "--set", "nat.turn-server=" + stun,
          "--set", "nat.turn-username=" + Lab.TURN_USER,
          "--set-file", "nat.turn-password=" + turnPassword));
    }
    args.addAll(List.of(
        "--set", "network.interface=" + interfaceName,
        "--set", "party.heartbeat-interval=1s",
        "--set", "party.stale-timeout=" + staleSeconds + "s",
        "--set", "party.cleanup-interval=1s"));
    for (String setting : settings) {
      args.add("--set");
      args.add(setting);
    }
    LabProcess process = lab.startJava(site.hostNamespace(), PartyCli.class, args.toArray(String[]::new));
    try {
      LabMember member = new LabMember(name, site, home, interfaceName, process, MEMBER_START);
      synchronized (members) {
        members.add(member);
      }
      return member;
    } catch (RuntimeException e) {
      List<ProcessHandle> children = ProcessHandle.of(process.pid()).map(h -> h.descendants().toList())
          .orElse(List.of());
      process.close();
      endOrphans(children, interfaceName);
      throw e;
    }
  }

  /**
   * Runs {@code party join code} in {@code site}'s host as a member would (this lab's settings) and
   * returns the time from process start to its exit, which must be a refusal (exit code not 0).
   */
  public Duration timeRefusedJoin(LabSite site, String name, String code) {
    Path home;
    try {
      home = Files.createDirectories(lab.workDir().resolve("home-refused-" + name));
    } catch (IOException e) {
      throw new LabException("cannot create a member home: " + e.getMessage(), e);
    }
    return timeCli(site, "join", code, "--name", name, "--home", home.toString(), "--network", "uapi",
        "--server", serverUrl(), "--set", "control.fallback-to-local=false",
        "--set", "nat.stun-servers=" + Lab.STUN_PRIMARY + ":" + Lab.STUN_PORT,
        "--set", "network.interface=" + names + "m" + counter.incrementAndGet());
  }

  /** Runs {@code party ARGS} in {@code site}'s host; the time from process start to its exit. */
  public Duration timeCli(LabSite site, String... args) {
    long start = System.nanoTime();
    LabProcess process = lab.startJava(site.hostNamespace(), PartyCli.class, args);
    try {
      int exit = process.awaitExit(MEMBER_START);
      long took = System.nanoTime() - start;
      boolean joining = args.length > 0 && args[0].equals("join");
      if (joining == (exit == 0)) {
        throw new LabException("party " + String.join(" ", args) + " exited " + exit + ":\n" + process.output());
      }
      return Duration.ofNanos(took);
    } finally {
      process.close();
    }
  }

  /**
   * Pings {@code address} from {@code from}'s host every 20 ms until the first answer; true if one
   * came within {@code timeout}.
   */
  public boolean ping(LabMember from, String address, Duration timeout) {
    return ping(from.site(), address, timeout, "0.02");
  }

  /** As {@link #ping(LabMember, String, Duration)} from any lab host, one echo request every {@code interval} seconds. */
  public boolean ping(LabSite from, String address, Duration timeout, String interval) {
    long seconds = Math.max(1, timeout.toSeconds());
    return lab.run(from.hostNamespace(), timeout.plusSeconds(10),
        "ping", "-n", "-q", "-c", "1", "-i", interval, "-w", Long.toString(seconds), address).ok();
  }

  /** The NatType that coturn's {@code turnutils_natdiscovery} measures for {@code site}'s host. */
  public NatType natdiscovery(LabSite site) {
    String output = lab.run(site.hostNamespace(), Duration.ofSeconds(60),
        "turnutils_natdiscovery", "-m", "-f", Lab.STUN_PRIMARY).orThrow().output();
    return classifyNatdiscovery(output, site.hostAddress());
  }

  /**
   * turnutils_natdiscovery never says "no NAT": a reflexive address equal to the host's own means
   * none (the same reading as party-core's NatDetectionLabTest).
   */
  static NatType classifyNatdiscovery(String output, String hostAddress) {
    Matcher m = MAPPING.matcher(output);
    Matcher f = FILTERING.matcher(output);
    Matcher r = REFLEXIVE.matcher(output);
    if (!m.find() || !f.find() || !r.find()) {
      throw new LabException("no verdict from turnutils_natdiscovery:\n" + output);
    }
    MappingBehavior mapping = r.group(1).equals(hostAddress) ? MappingBehavior.NO_NAT : behaviour(m.group(1),
        MappingBehavior.ENDPOINT_INDEPENDENT, MappingBehavior.ADDRESS_DEPENDENT,
        MappingBehavior.ADDRESS_AND_PORT_DEPENDENT);
    FilteringBehavior filtering = behaviour(f.group(1), FilteringBehavior.ENDPOINT_INDEPENDENT,
        FilteringBehavior.ADDRESS_DEPENDENT, FilteringBehavior.ADDRESS_AND_PORT_DEPENDENT);
    return NatClassifier.classify(mapping, filtering);
  }

  private static <T> T behaviour(String words, T independent, T address, T addressAndPort) {
    return switch (words) {
      case "Endpoint Independent" -> independent;
      case "Address Dependent" -> address;
      case "Address and Port Dependent" -> addressAndPort;
      default -> throw new LabException("unknown turnutils_natdiscovery verdict: " + words);
    };
  }

  /**
   * Ends, by pid, processes a member left behind (its wireguard-go after a SIGKILL of the member),
   * and removes that wireguard-go's UAPI socket, whose directory is shared by every namespace.
   */
  static void endOrphans(List<ProcessHandle> children, String interfaceName) {
    for (ProcessHandle child : children) {
      if (child.isAlive()) {
        child.destroy();
        try {
          child.onExit().get(2, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
          child.destroyForcibly();
        } catch (InterruptedException e) {
          child.destroyForcibly();
          Thread.currentThread().interrupt();
        }
      }
    }
    try {
      Files.deleteIfExists(Path.of("/var/run/wireguard", interfaceName + ".sock"));
    } catch (IOException e) {
      // wireguard-go removes its own socket when it exits normally; a leftover is only clutter
    }
  }

  /** Ends every member (leaving when possible), the server and the lab. */
  @Override
  public void close() {
    List<LabMember> all;
    synchronized (members) {
      all = List.copyOf(members);
    }
    for (LabMember m : all) {
      try {
        m.close();
      } catch (RuntimeException e) {
        // keep tearing down; the lab ends what is left by pid
      }
    }
    lab.close();
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new SecureRandom().nextBytes(b);
    return b;
  }
}
