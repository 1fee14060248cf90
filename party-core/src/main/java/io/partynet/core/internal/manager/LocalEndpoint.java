package io.partynet.core.internal.manager;

import io.partynet.Endpoint;
import io.partynet.NatType;
import io.partynet.PartyConfig;
import io.partynet.PartyException;
import io.partynet.core.internal.nat.discovery.NatTypeCache;
import io.partynet.core.internal.nat.discovery.NetworkFingerprint;
import io.partynet.core.internal.nat.discovery.StunNatDetector;
import io.partynet.spi.SettingKey;
import io.partynet.spi.ControlPlane;
import io.partynet.spi.NatDetector;
import io.partynet.spi.NatReport;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the other members can reach this member: its NAT class and the public endpoint of its
 * WireGuard port; completed with {@code network.advertise-address} once the listen port is known;
 * moved when a member reports a NAT rebinding.
 *
 * <p>Create, join and resume never wait for NAT classification (docs/nat-traversal.md section 1):
 * all three take one path, {@link #detect}. With the built-in STUN detector it learns the WireGuard
 * port's public mapping with one quick Binding (bounded by {@link StunNatDetector#MAPPING_BOUND},
 * the port closed again before WireGuard binds it) and takes the NAT type remembered for this
 * network; behaviour discovery runs in the background from a port of its own, and its result
 * reaches the membership through {@link #whenLearned}. A detector given through the SPI is waited
 * for at most {@link #PLUGGED_DETECTOR_WAIT}; a later answer is applied the same way.
 *
 * <p>Written on the manager's worker thread (background results are handed to it first);
 * {@link #natType()} and {@link #endpoint()} may be read from any thread.
 */
final class LocalEndpoint {
  /** An address to advertise with the listen port when STUN gives no mapping (LAN, loopback). */
  static final SettingKey<String> ADVERTISE_ADDRESS = SettingKey.ofAddress("network.advertise-address");
  /** How long a join waits for a detector given through the SPI before it goes on without it. */
  static final Duration PLUGGED_DETECTOR_WAIT = Duration.ofSeconds(1);
  private static final Logger LOG = LoggerFactory.getLogger(LocalEndpoint.class);

  private final PartyConfig config;
  /** A detector given through the SPI, or null for the built-in STUN detector. */
  private final NatDetector plugged;
  private final boolean networkOff;
  private final int listenPort;
  private final String advertiseAddress;
  private final NatTypeCache cache;
  private final Clock clock;
  /** Runs background results in turn with everything else (the manager's worker). */
  private final BiConsumer<String, Runnable> worker;
  private StunNatDetector builtIn;
  private Runnable learnedListener = () -> {};
  /** Counts detections, so a background answer for an earlier one is dropped. */
  private int generation;
  private volatile NatType natType = NatType.UNKNOWN;
  private volatile Endpoint endpoint;
  /** The port WireGuard listens on while the interface is up; 0 before. */
  private volatile int wireGuardPort;

  /** An endpoint without a worker (tests of the connection layer): background results apply at once. */
  LocalEndpoint(PartyConfig config, NatDetector plugged, boolean networkOff) {
    this(config, plugged, networkOff, Clock.systemUTC(), (what, work) -> work.run());
  }

  /**
   * @param plugged a detector given through the SPI, or null for STUN against the configured servers
   *     (or, without any, the control plane's)
   * @param networkOff membership only: there is no WireGuard port to advertise
   * @param worker runs background results in turn with the manager's other work
   */
  LocalEndpoint(PartyConfig config, NatDetector plugged, boolean networkOff, Clock clock,
      BiConsumer<String, Runnable> worker) {
    this.config = config;
    this.plugged = plugged;
    this.networkOff = networkOff;
    this.listenPort = config.listenPort();
    this.clock = clock;
    this.worker = worker;
    this.cache = new NatTypeCache(config.home().resolve("nat-cache"));
    try {
      this.advertiseAddress = ADVERTISE_ADDRESS.from(config).strip();
    } catch (IllegalArgumentException e) {
      throw PartyException.of(PartyException.Reason.INVALID_ARGUMENT, e.getMessage(), e);
    }
  }

  /**
   * The control plane is connected: the built-in detector asks the settings' STUN servers, or,
   * when they name none, the control plane's ({@link ControlPlane#iceServers()}).
   */
  void connectedTo(ControlPlane controlPlane) {
    builtIn = StunServers.detector(config, controlPlane);
  }

  /** {@code listener} runs on the worker whenever a background detection changed the NAT type or endpoint. */
  void whenLearned(Runnable listener) {
    learnedListener = listener;
  }

  NatType natType() {
    return natType;
  }

  /** The endpoint to advertise, or null when no one can reach this member directly. */
  Endpoint endpoint() {
    return endpoint;
  }

  /**
   * Learns where this member is now, for a create or join ({@code listening} false: WireGuard has
   * not bound its port yet) and for a resume (true when the interface is up already), without
   * waiting for NAT classification: the public endpoint of the WireGuard port and the NAT type
   * remembered for this network; classification runs in the background otherwise and its answer
   * reaches {@link #whenLearned}. While WireGuard holds its port, the mapping is learnt from a port
   * of its own and its address paired with WireGuard's port (exact without NAT or behind a
   * port-preserving NAT; otherwise the members' {@code observed-endpoint} reports correct the
   * port). Without a mapping, the advertise address stands in, so members on one network still
   * find each other; without either, the member is reachable only through the relay until the
   * others learn where it is.
   */
  void detect(boolean listening) {
    int current = ++generation; // a background answer of an earlier detection is older than this one
    natType = NatType.UNKNOWN;
    endpoint = null;
    if (plugged != null) {
      detectWithPlugged(current, listening);
    } else if (builtIn != null) {
      detectBuiltIn(current, listening);
    }
    if (endpoint == null) {
      endpoint = advertised(listening ? wireGuardPort : listenPort).orElse(null);
    }
    if (endpoint == null && !networkOff) {
      LOG.info("no public endpoint known for this member yet: other members reach it through a relay, "
          + "or directly once it reaches them");
    }
  }

  private void detectBuiltIn(int current, boolean listening) {
    String network = NetworkFingerprint.current(config.interfaceName());
    Optional<NatType> remembered = network.isEmpty() ? Optional.empty() : cache.get(network, clock.instant());
    if (!networkOff && (listening ? wireGuardPort : listenPort) != 0) {
      // Port 0 while WireGuard holds its own: only the public address of the mapping counts then.
      builtIn.mapping(listening ? 0 : listenPort).ifPresent(mapped -> endpoint = ours(mapped, listening));
    }
    if (remembered.isPresent()) {
      natType = remembered.get();
      LOG.info("NAT type {} remembered for this network; endpoint {}", natType, endpoint);
      return;
    }
    if (builtIn.servers().isEmpty()) {
      LOG.warn("no STUN server configured (nat.stun-servers) and none from the control plane: NAT type UNKNOWN");
      return;
    }
    // Port 0: its own port, so WireGuard's stays free whatever the tests cost.
    builtIn.detect(0).thenAccept(report -> worker.accept("NAT type learnt", () -> {
      if (current != generation) {
        return;
      }
      cache.put(network, report.natType(), clock.instant());
      if (report.natType() == NatType.UNKNOWN) {
        LOG.warn("NAT detection found nothing ({})", report.detail());
        return;
      }
      LOG.info("NAT type {} learnt in the background ({})", report.natType(), report.detail());
      natType = report.natType();
      learnedListener.run();
    }));
  }

  private void detectWithPlugged(int current, boolean listening) {
    int port = networkOff || listening ? 0 : listenPort;
    CompletableFuture<NatReport> pending;
    try {
      pending = plugged.detect(port);
    } catch (RuntimeException e) {
      LOG.warn("NAT detection failed ({})", e.toString());
      return;
    }
    try {
      applyPlugged(pending.get(PLUGGED_DETECTOR_WAIT.toMillis(), TimeUnit.MILLISECONDS), listening);
    } catch (TimeoutException e) {
      LOG.info("NAT detection still running after {} ms; going on without it", PLUGGED_DETECTOR_WAIT.toMillis());
      pending.thenAccept(report -> worker.accept("NAT type learnt", () -> {
        if (current == generation) {
          applyPlugged(report, listening);
          learnedListener.run();
        }
      }));
    } catch (ExecutionException e) {
      LOG.warn("NAT detection failed ({})", e.getCause() == null ? e.toString() : e.getCause().toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void applyPlugged(NatReport report, boolean listening) {
    natType = report.natType();
    if (!networkOff && report.mappedEndpoint() != null) {
      Endpoint mine = ours(report.mappedEndpoint(), listening);
      if (mine != null) {
        endpoint = mine;
      }
    }
    if (natType == NatType.UNKNOWN) {
      LOG.warn("NAT detection found nothing ({})", report.detail());
    }
  }

  /**
   * The endpoint WireGuard is reached at, given the public {@code mapped} endpoint of the port
   * detection ran from: that endpoint itself when it was WireGuard's port, else its address with
   * WireGuard's port. Null while that port is not known (a listen port the system picks, before
   * the interface is up).
   */
  private Endpoint ours(Endpoint mapped, boolean listening) {
    if (!listening) {
      return listenPort == 0 ? null : mapped;
    }
    return wireGuardPort == 0 ? null : new Endpoint(mapped.host(), wireGuardPort);
  }

  /** What the persisted state says of this member, until detection answers (resume). */
  void assume(NatType persistedNatType, Endpoint persistedEndpoint) {
    natType = persistedNatType == null ? NatType.UNKNOWN : persistedNatType;
    endpoint = networkOff ? null : persistedEndpoint;
  }

  /**
   * WireGuard listens on {@code port} now (chosen by the system when the setting was 0): without
   * an endpoint so far, the advertise address with that port becomes it.
   *
   * @return true when the endpoint changed and must be published
   */
  boolean listening(int port) {
    wireGuardPort = port;
    if (endpoint != null) {
      return false;
    }
    endpoint = advertised(port).orElse(null);
    return endpoint != null;
  }

  /**
   * A member's WireGuard sees us at {@code seen}. When only our public port changed (a NAT
   * rebinding: same address, new mapping) we adopt it. A symmetric NAT shows each member another
   * port, and a different address is a different path (a LAN, a relay), so those are not adopted.
   *
   * @return true when {@code seen} is our endpoint from now on and must be published
   */
  boolean adoptObserved(Endpoint seen) {
    Endpoint mine = endpoint;
    if (mine == null || natType == NatType.SYMMETRIC || seen.equals(mine) || !seen.host().equals(mine.host())) {
      return false;
    }
    LOG.info("NAT rebinding: the others see us at {} instead of {}; publishing the new endpoint", seen, mine);
    endpoint = seen;
    return true;
  }

  private Optional<Endpoint> advertised(int port) {
    if (advertiseAddress.isEmpty() || networkOff || port == 0) {
      return Optional.empty();
    }
    return Optional.of(new Endpoint(advertiseAddress, port));
  }
}
