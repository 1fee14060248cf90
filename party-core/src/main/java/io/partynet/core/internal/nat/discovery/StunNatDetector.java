package io.partynet.core.internal.nat.discovery;

import io.partynet.Endpoint;
import io.partynet.core.internal.concurrent.DaemonThreads;
import io.partynet.spi.NatDetector;
import io.partynet.spi.NatReport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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

  private final List<Endpoint> servers;
  private final StunTiming timing;
  private final Executor executor;

  public StunNatDetector(List<Endpoint> servers) {
    this(servers, StunTiming.DETECTION, DEFAULT_EXECUTOR);
  }

  public StunNatDetector(List<Endpoint> servers, StunTiming timing, Executor executor) {
    this.servers = List.copyOf(servers);
    if (this.servers.size() > MAX_SERVERS) {
      throw new IllegalArgumentException(SETTING + " lists more than " + MAX_SERVERS + " servers");
    }
    this.timing = Objects.requireNonNull(timing, "timing");
    this.executor = Objects.requireNonNull(executor, "executor");
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

  public List<Endpoint> servers() {
    return servers;
  }

  @Override
  public CompletableFuture<NatReport> detect(int localPort) {
    if (localPort < 0 || localPort > 65535) {
      return CompletableFuture.completedFuture(NatReport.unknown("local port out of range: " + localPort));
    }
    if (servers.isEmpty()) {
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
    if (servers.isEmpty()) {
      return NatReport.unknown(NO_SERVER);
    }
    List<String> failures = new ArrayList<>();
    for (Endpoint server : servers) {
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
    boolean ipv6 = servers.get(0).isIpv6();
    try (DatagramChannel channel = DatagramChannel.open(ipv6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET)) {
      channel.bind(new InetSocketAddress(localPort));
      return detect(channel);
    } catch (IOException e) {
      return NatReport.unknown("cannot open UDP port " + localPort + " for NAT detection: " + e.getMessage());
    }
  }
}
