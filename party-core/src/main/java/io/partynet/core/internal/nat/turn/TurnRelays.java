package io.partynet.core.internal.nat.turn;

import io.partynet.Endpoint;
import io.partynet.PartyConfig;
import io.partynet.PartyException;
import io.partynet.spi.IceServers;
import io.partynet.spi.SettingKey;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a {@link TurnRelay}'s server and credentials come from: the member's settings (a static
 * long-term credential) or the ICE servers the control plane hands out (short-lived credentials,
 * rotated before they expire). Stateless and thread-safe.
 */
public final class TurnRelays {
  /** The TURN server, {@code ip:port}; empty means no relay. */
  public static final SettingKey<String> SERVER = SettingKey.ofString("nat.turn-server", "");
  public static final SettingKey<String> USERNAME = SettingKey.ofString("nat.turn-username", "");
  public static final SettingKey<String> PASSWORD = SettingKey.ofString("nat.turn-password", "");

  private static final Logger LOG = LoggerFactory.getLogger(TurnRelays.class);

  private TurnRelays() {}

  /**
   * A relay through the first TURN server the control plane handed out ({@code ice}; an
   * {@code ip:port} server), allocating with the credential {@code ice} holds at that moment
   * (TURN REST API credentials expire: a later allocation takes the refreshed one).
   *
   * @return empty when {@code ice} names no usable TURN server
   */
  public static Optional<TurnRelay> fromIceServers(Supplier<Optional<IceServers>> ice, int wireGuardPort,
      TurnRelay.Signalling signalling) {
    Optional<IceServers.TurnServer> first = ice.get().flatMap(TurnRelays::firstTurnServer);
    if (first.isEmpty()) {
      return Optional.empty();
    }
    Endpoint endpoint = Endpoint.parse(first.get().address());
    TurnLease initial = new TurnLease(new TurnCredentials(first.get().username(), first.get().password()),
        ice.get().map(IceServers::expiresAt).orElse(null));
    Supplier<TurnLease> latest = () -> ice.get().flatMap(servers -> firstTurnServer(servers)
            .filter(t -> t.address().equals(first.get().address()))
            .map(t -> new TurnLease(new TurnCredentials(t.username(), t.password()), servers.expiresAt())))
        .orElse(initial);
    return Optional.of(TurnRelay.builder(endpoint, latest).wireGuardPort(wireGuardPort).signalling(signalling).build());
  }

  private static Optional<IceServers.TurnServer> firstTurnServer(IceServers ice) {
    for (IceServers.TurnServer turn : ice.turnServers()) {
      try {
        Endpoint.parse(turn.address());
        new TurnCredentials(turn.username(), turn.password());
        return Optional.of(turn);
      } catch (IllegalArgumentException e) {
        LOG.debug("skipping the control plane's TURN server {}: {}", turn.address(), e.getMessage());
      }
    }
    return Optional.empty();
  }

  /**
   * A relay from the settings {@link #SERVER}, {@link #USERNAME} and {@link #PASSWORD}; empty when
   * no TURN server is configured.
   *
   * @param wireGuardPort the UDP port the WireGuard interface listens on (what the backend's
   *     {@code up} returned)
   * @throws PartyException INVALID_ARGUMENT when the server is not {@code ip:port} or the
   *     credentials are missing
   */
  public static Optional<TurnRelay> fromConfig(PartyConfig config, int wireGuardPort, TurnRelay.Signalling signalling) {
    String serverText = SERVER.from(config).strip();
    if (serverText.isEmpty()) {
      return Optional.empty();
    }
    Endpoint endpoint;
    try {
      endpoint = Endpoint.parse(serverText);
    } catch (IllegalArgumentException e) {
      throw PartyException.of(PartyException.Reason.INVALID_ARGUMENT,
          SERVER.name() + " must be an ip:port endpoint: " + e.getMessage(), e);
    }
    String username = USERNAME.from(config).strip();
    String password = PASSWORD.from(config);
    if (username.isEmpty() || password.isEmpty()) {
      throw PartyException.of(PartyException.Reason.INVALID_ARGUMENT, SERVER.name() + " is set, so "
          + USERNAME.name() + " and " + PASSWORD.name() + " must be set too (the TURN server's long-term credentials)");
    }
    TurnCredentials credentials;
    try {
      credentials = new TurnCredentials(username, password);
    } catch (IllegalArgumentException e) {
      throw PartyException.of(PartyException.Reason.INVALID_ARGUMENT, USERNAME.name() + ": " + e.getMessage(), e);
    }
    return Optional.of(TurnRelay.builder(endpoint, credentials).wireGuardPort(wireGuardPort).signalling(signalling).build());
  }
}
