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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the other members can reach this member: its NAT class and the public endpoint of its
 * WireGuard port. Learnt by NAT detection before each create, join or resume; completed with
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
   * Learns the NAT class and the public endpoint of the WireGuard port. Without a STUN mapping,
   * the advertise address stands in, so members on one network still find each other; without
   * either, the member is reachable only through the relay.
   */
  void detect() {
    natType = NatType.UNKNOWN;
    endpoint = null;
    if (natDetector == null) {
      LOG.warn("no NAT detector is configured (no STUN servers): NAT type UNKNOWN");
    } else {
      // The mapping is only useful when it belongs to the port WireGuard will listen on.
      int port = networkOff ? 0 : listenPort;
      try {
        NatReport report = Futures.await(natDetector.detect(port), timeout, "NAT detection");
        natType = report.natType();
        endpoint = port == 0 ? null : report.mappedEndpoint();
        if (natType == NatType.UNKNOWN) {
          LOG.warn("NAT detection found nothing ({})", report.detail());
        }
      } catch (PartyException e) {
        LOG.warn("NAT detection failed ({})", e.getMessage());
      }
    }
    if (endpoint == null) {
      endpoint = advertised(listenPort).orElse(null);
    }
    if (endpoint == null && !networkOff) {
      LOG.warn("no public endpoint known for this member: other members can reach it only through a relay");
    }
  }

  /**
   * WireGuard listens on {@code port} now (chosen by the system when the setting was 0): without
   * an endpoint so far, the advertise address with that port becomes it.
   *
   * @return true when the endpoint changed and must be published
   */
  boolean listening(int port) {
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
