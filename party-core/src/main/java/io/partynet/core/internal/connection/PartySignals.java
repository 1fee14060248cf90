package io.partynet.core.internal.connection;

import io.partynet.Endpoint;
import io.partynet.spi.Signal;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every signal type members exchange through the control plane, with its data keys: the one
 * vocabulary of the connection layer and the relay. Stateless and thread-safe.
 */
public final class PartySignals {
  /** Asks the other member to point WireGuard at us again now, so both sides send at once (a coordinated punch). */
  public static final String PUNCH = "punch-now";
  /**
   * Tells a member where our WireGuard sees it (a direct link's current endpoint), when that
   * differs from what it advertised: after a NAT rebinding only the others can see its new port.
   */
  public static final String OBSERVED_ENDPOINT = "observed-endpoint";
  /** Carries a member's relayed address on its TURN allocation. */
  public static final String RELAY_CANDIDATE = "relay-candidate";
  /** Carries a member's host candidates (its own addresses with its WireGuard port). */
  public static final String CANDIDATES = "candidates";
  /** The data keys of {@link #CANDIDATES}: {@code host-0}, {@code host-1}, ... */
  public static final String HOST_KEY_PREFIX = "host-";
  /** The data key of {@link #OBSERVED_ENDPOINT}: the endpoint as {@code ip:port}. */
  public static final String ENDPOINT_KEY = "endpoint";
  /** The data key of {@link #RELAY_CANDIDATE}: the relayed address as {@code ip:port}. */
  public static final String RELAYED_KEY = "relayed";

  private PartySignals() {}

  public static Signal punch(String partyId, String fromPeerId, String toPeerId) {
    return new Signal(partyId, fromPeerId, toPeerId, PUNCH, Map.of());
  }

  public static Signal observedEndpoint(String partyId, String fromPeerId, String toPeerId, Endpoint seen) {
    return new Signal(partyId, fromPeerId, toPeerId, OBSERVED_ENDPOINT, Map.of(ENDPOINT_KEY, seen.toString()));
  }

  public static Signal relayCandidate(String partyId, String fromPeerId, String toPeerId, Endpoint relayed) {
    return new Signal(partyId, fromPeerId, toPeerId, RELAY_CANDIDATE, Map.of(RELAYED_KEY, relayed.toString()));
  }

  public static Signal candidates(String partyId, String fromPeerId, String toPeerId, List<Endpoint> hosts) {
    Map<String, String> data = new LinkedHashMap<>();
    for (int i = 0; i < Math.min(hosts.size(), HostCandidates.MAX); i++) {
      data.put(HOST_KEY_PREFIX + i, hosts.get(i).toString());
    }
    return new Signal(partyId, fromPeerId, toPeerId, CANDIDATES, data);
  }

  /**
   * The host candidates a {@link #CANDIDATES} signal carries, at most {@link HostCandidates#MAX};
   * entries that are not a usable unicast {@code ip:port} are dropped.
   */
  public static List<Endpoint> hostCandidates(Signal signal) {
    List<Endpoint> out = new ArrayList<>();
    for (int i = 0; i < HostCandidates.MAX; i++) {
      String text = signal.data().get(HOST_KEY_PREFIX + i);
      if (text == null) {
        continue;
      }
      try {
        Endpoint endpoint = Endpoint.parse(text);
        InetAddress address = endpoint.toSocketAddress().getAddress();
        if (!address.isAnyLocalAddress() && !address.isMulticastAddress() && !address.isLoopbackAddress()
            && endpoint.port() > 0) {
          out.add(endpoint);
        }
      } catch (IllegalArgumentException e) {
        // Not ip:port: dropped, the others still count.
      }
    }
    return List.copyOf(out);
  }

  /**
   * The endpoint a signal carries under {@code key}.
   *
   * @throws IllegalArgumentException when the entry is missing or not {@code ip:port}
   */
  public static Endpoint endpoint(Signal signal, String key) {
    String text = Optional.ofNullable(signal.data().get(key))
        .orElseThrow(() -> new IllegalArgumentException("no '" + key + "' entry"));
    return Endpoint.parse(text);
  }
}
