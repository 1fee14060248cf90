package io.partynet.core.internal.manager;

import io.partynet.Endpoint;
import io.partynet.NatType;
import io.partynet.PartyConfig;
import io.partynet.PartyException;
import io.partynet.core.internal.settings.SettingKey;
import io.partynet.spi.NatDetector;
import io.partynet.spi.NatReport;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the other members can reach this member: its NAT class and the public endpoint of its
 * WireGuard port. Learnt by NAT detection before each create or join and after each resume (the
 * persisted values stand in until then); completed with
 * {@code network.advertise-address} once the listen port is known; moved when a member reports a
 * NAT rebinding.
 *
 * <p>Written on the manager's worker thread; {@link #natType()} and {@link #endpoint()} may be read
 * from any thread.
 */
final class LocalEndpoint {
  /** An address to advertise with the listen port when STUN gives no mapping (LAN, loopback). */
  static final SettingKey<String> ADVERTISE_ADDRESS = SettingKey.ofString("network.advertise-address", "")
      .requiring(LocalEndpoint::isAddressOrEmpty, "empty or an IP literal such as 192.168.1.20");
  private static final Logger LOG = LoggerFactory.getLogger(LocalEndpoint.class);

  private final NatDetector natDetector;
  private final Duration timeout;
  private final boolean networkOff;
  private final int listenPort;
  private final String advertiseAddress;
  private volatile NatType natType = NatType.UNKNOWN;
  private volatile Endpoint endpoint;
  /** The port WireGuard listens on while the interface is up; 0 before. */
  private volatile int wireGuardPort;

  /**
   * @param natDetector null means "no detector": NAT type UNKNOWN, reachable through a relay only
   * @param networkOff membership only: there is no WireGuard port to advertise
   */
  LocalEndpoint(PartyConfig config, NatDetector natDetector, boolean networkOff) {
    this.natDetector = natDetector;
    this.timeout = config.requestTimeout();
    this.networkOff = networkOff;
    this.listenPort = config.listenPort();
    try {
      this.advertiseAddress = ADVERTISE_ADDRESS.from(config).strip();
    } catch (IllegalArgumentException e) {
      throw PartyException.of(PartyException.Reason.INVALID_ARGUMENT, e.getMessage(), e);
    }
  }

  NatType natType() {
    return natType;
  }

  /** The endpoint to advertise, or null when no one can reach this member directly. */
  Endpoint endpoint() {
    return endpoint;
  }

  /**
   * Learns the NAT class and the public endpoint of the WireGuard port, blocking for at most the
   * request timeout (create and join, before the interface is up). Without a STUN mapping, the
   * advertise address stands in, so members on one network still find each other; without
   * either, the member is reachable only through the relay.
   */
  void detect() {
    apply(Futures.await(detectAsync(false), timeout.plusSeconds(1), "NAT detection"), false);
  }

  /**
   * Starts NAT detection without blocking; the report is UNKNOWN on any failure and never later
   * than the request timeout. With the interface up ({@code listening}), WireGuard holds its port,
   * so detection runs from another port: the NAT class and public address are what it finds, and
   * {@link #apply} pairs that address with WireGuard's port (exact without NAT or behind a
   * port-preserving NAT; otherwise the members' {@code observed-endpoint} reports correct the port).
   */
  CompletableFuture<NatReport> detectAsync(boolean listening) {
    if (natDetector == null) {
      return CompletableFuture.completedFuture(NatReport.unknown("no NAT detector is configured (no STUN servers)"));
    }
    // The mapping is only useful when it belongs to the port WireGuard will listen on.
    int port = networkOff || listening ? 0 : listenPort;
    CompletableFuture<NatReport> detection;
    try {
      detection = natDetector.detect(port);
    } catch (RuntimeException e) {
      detection = CompletableFuture.failedFuture(e);
    }
    return detection.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionally(e -> NatReport.unknown("NAT detection failed: " + Futures.toPartyException(e, "NAT detection")
            .getMessage()));
  }

  /** Takes {@code report} as what is known of this member now (see {@link #detectAsync}). */
  void apply(NatReport report, boolean listening) {
    natType = report.natType();
    Endpoint mapped = report.mappedEndpoint();
    if (mapped == null || networkOff) {
      endpoint = null;
    } else if (!listening) {
      endpoint = listenPort == 0 ? null : mapped;
    } else {
      endpoint = wireGuardPort == 0 ? null : new Endpoint(mapped.host(), wireGuardPort);
    }
    if (natType == NatType.UNKNOWN) {
      LOG.warn("NAT detection found nothing ({})", report.detail());
    }
    if (endpoint == null) {
      endpoint = advertised(listening ? wireGuardPort : listenPort).orElse(null);
    }
    if (endpoint == null && !networkOff) {
      LOG.warn("no public endpoint known for this member: other members can reach it only through a relay");
    }
  }

  /**
   * Until detection runs again, this member is where it was when the party was persisted: the
   * interface comes up from the persisted state before anything is detected.
   */
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

  private static boolean isAddressOrEmpty(String text) {
    String address = text.strip();
    return address.isEmpty() || new Endpoint(address, 1) != null;
  }
}
