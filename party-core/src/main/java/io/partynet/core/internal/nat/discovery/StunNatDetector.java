package io.partynet.core.internal.nat.discovery;

import io.partynet.Endpoint;
import io.partynet.core.internal.concurrent.DaemonThreads;
import io.partynet.spi.NatDetector;
import io.partynet.spi.NatReport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link NatDetector} by STUN behaviour discovery (RFC 5780) against the configured servers, tried
 * in order until one answers. There is no default server: with none configured the result is
 * UNKNOWN ("no STUN server configured"), so the SDK never contacts a server the user did not
 * choose. Failures of every kind become UNKNOWN with a reason; the future never completes
 * exceptionally. Thread-safe; each call uses its own socket (or the one it is given).
 *
 * <p>Two uses, kept apart so joining never waits for behaviour discovery: {@link #mapping(int)}
 * learns the public mapping of the WireGuard port with one quick Binding transaction and closes
 * the port again before it returns; {@link #detect(int)} with port 0 classifies the NAT from a
 * port of its own, in the background, for as long as the behaviour tests take.
 */
public final class StunNatDetector implements NatDetector {
  /** The setting that lists the servers, comma-separated {@code ip:port} endpoints. */
  public static final String SETTING = "nat.stun-servers";
  public static final String NO_SERVER = "no STUN server configured";
  /** More servers than this would only make a failing detection slower. */
  public static final int MAX_SERVERS = 8;

  private static final Logger LOG = LoggerFactory.getLogger(StunNatDetector.class);
  private static final ExecutorService DEFAULT_EXECUTOR =
      Executors.newCachedThreadPool(DaemonThreads.named("partynet-nat-detect"));

  /**
   * One quick Binding per server for the WireGuard port's mapping: RTO 100 ms, 3 requests, Rm 4
   * (0.7 s when a server is silent). A STUN server answers in one round trip.
   */
  public static final StunTiming MAPPING = new StunTiming(Duration.ofMillis(100), 3, 4);
  /** {@link #mapping} gives up after this, whatever the number of silent servers. */
  public static final Duration MAPPING_BOUND = Duration.ofMillis(1500);

  private final Supplier<List<Endpoint>> servers;
  private final StunTiming timing;
  private final Executor executor;

  public StunNatDetector(List<Endpoint> servers) {
    this(servers, StunTiming.DETECTION, DEFAULT_EXECUTOR);
  }

  /** Servers asked at each use (see {@link #StunNatDetector(Supplier, StunTiming, Executor)}). */
  public StunNatDetector(Supplier<List<Endpoint>> servers) {
    this(servers, StunTiming.DETECTION, DEFAULT_EXECUTOR);
  }

  public StunNatDetector(List<Endpoint> servers, StunTiming timing, Executor executor) {
    this(fixed(servers), timing, executor);
  }

  /**
   * @param servers asked at each use, so servers handed out later (a control server's) are used
   *     from then on; at most {@link #MAX_SERVERS} of them are tried
   */
  public StunNatDetector(Supplier<List<Endpoint>> servers, StunTiming timing, Executor executor) {
    this.servers = Objects.requireNonNull(servers, "servers");
    this.timing = Objects.requireNonNull(timing, "timing");
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  private static Supplier<List<Endpoint>> fixed(List<Endpoint> servers) {
    List<Endpoint> copy = List.copyOf(servers);
    if (copy.size() > MAX_SERVERS) {
      throw new IllegalArgumentException(SETTING + " lists more than " + MAX_SERVERS + " servers");
    }
    return () -> copy;
  }

  /** Parses the setting's value: {@code 203.0.113.1:3478, [2001:db8::1]:3478}; blank means none. */
  public static List<Endpoint> parseServers(String setting) {
    List<Endpoint> out = new ArrayList<>();
    if (setting == null || setting.isBlank()) {
      return out;
    }
    for (String part : setting.split(",")) {
      if (!part.isBlank()) {
        out.add(Endpoint.parse(part));
      }
    }
    return out;
  }

  /** The servers in use now. */
  public List<Endpoint> servers() {
    List<Endpoint> now = servers.get();
    return now.size() > MAX_SERVERS ? List.copyOf(now.subList(0, MAX_SERVERS)) : List.copyOf(now);
  }

  /**
   * The public mapping of UDP port {@code localPort} (WireGuard's, before WireGuard binds it; 0 for
   * a port of its own, when WireGuard holds its port and only the public address is wanted), by
   * one Binding transaction per server until one answers, within {@link #MAPPING_BOUND}. The port
   * is closed again before this returns, whatever happens, so WireGuard can bind it.
   *
   * @return the mapping, or empty when no server is configured or none answered in time
   */
  public Optional<Endpoint> mapping(int localPort) {
    List<Endpoint> candidates = servers();
    if (candidates.isEmpty() || localPort < 0 || localPort > 65535) {
      return Optional.empty();
    }
    long deadline = System.nanoTime() + MAPPING_BOUND.toNanos();
    boolean ipv6 = candidates.get(0).isIpv6();
    try (DatagramChannel channel = DatagramChannel.open(ipv6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET)) {
      channel.bind(new InetSocketAddress(localPort));
      StunClient client = new StunClient(channel, MAPPING);
      for (Endpoint server : candidates) {
        if (System.nanoTime() - deadline >= 0) {
          break;
        }
        if (server.isIpv6() != ipv6) {
          continue;
        }
        Optional<Endpoint> mapped = client.binding(server.toSocketAddress(), List.of())
            .flatMap(StunResponse::mappedAddress).map(Endpoint::of);
        if (mapped.isPresent()) {
          return mapped;
        }
      }
      LOG.info("no STUN server answered for the mapping of port {} within {} ms", localPort,
          MAPPING_BOUND.toMillis());
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot learn the public mapping of UDP port {}: {}", localPort, e.getMessage());
    }
    return Optional.empty();
  }

  @Override
  public CompletableFuture<NatReport> detect(int localPort) {
    if (localPort < 0 || localPort > 65535) {
      return CompletableFuture.completedFuture(NatReport.unknown("local port out of range: " + localPort));
    }
    if (servers().isEmpty()) {
      return CompletableFuture.completedFuture(NatReport.unknown(NO_SERVER));
    }
    return CompletableFuture.supplyAsync(() -> detectBlocking(localPort), executor)
        .exceptionally(e -> NatReport.unknown("NAT detection failed: " + e));
  }

  /**
   * Detects through a channel someone else owns (a backend's WireGuard socket before it starts
   * using it). Blocks the caller for at most a few transaction timeouts; nothing else may read the
   * channel meanwhile.
   */
  public NatReport detect(DatagramChannel channel) {
    List<Endpoint> candidates = servers();
    if (candidates.isEmpty()) {
      return NatReport.unknown(NO_SERVER);
    }
    List<String> failures = new ArrayList<>();
    for (Endpoint server : candidates) {
      try {
        Optional<DiscoveryResult> result = new BehaviorDiscovery(channel, timing).run(server.toSocketAddress());
        if (result.isPresent()) {
          DiscoveryResult r = result.get();
          LOG.info("NAT detection: {} -> {}", r.describe(), r.natType());
          return new NatReport(r.natType(), r.mapped(), r.describe());
        }
        failures.add(server + " did not answer within " + timing.total().toMillis() + " ms");
      } catch (IOException | RuntimeException e) {
        failures.add(server + ": " + e.getMessage());
      }
    }
    String why = "no STUN server answered (" + String.join("; ", failures)
        + "); check " + SETTING + " and that UDP to it is allowed";
    LOG.warn("NAT detection failed: {}", why);
    return NatReport.unknown(why);
  }

  private NatReport detectBlocking(int localPort) {
    List<Endpoint> candidates = servers();
    if (candidates.isEmpty()) {
      return NatReport.unknown(NO_SERVER);
    }
    boolean ipv6 = candidates.get(0).isIpv6();
    try (DatagramChannel channel = DatagramChannel.open(ipv6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET)) {
      channel.bind(new InetSocketAddress(localPort));
      return detect(channel);
    } catch (IOException e) {
      return NatReport.unknown("cannot open UDP port " + localPort + " for NAT detection: " + e.getMessage());
    }
  }
}
