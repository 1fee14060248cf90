package io.partynet.testing.lab;

import java.util.Objects;
import java.util.Optional;

/**
 * One home network of the lab: a host namespace and, unless it is {@link NatKind#OPEN}, the router
 * namespace in front of it. Immutable and thread-safe.
 *
 * @param kind which NAT recipe the router runs
 * @param hostNamespace the namespace to run the "player's" programs in
 * @param routerNamespace the router's namespace; null for an open host, which sits on the internet itself
 * @param hostAddress the host's own IPv4 address (public for OPEN, 192.168.x.2 otherwise)
 * @param publicAddress the address the internet sees (the router's WAN address, or the host's own)
 */
public record LabSite(
    NatKind kind, String hostNamespace, String routerNamespace, String hostAddress, String publicAddress) {
  public LabSite {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(hostNamespace, "hostNamespace");
    Objects.requireNonNull(hostAddress, "hostAddress");
    Objects.requireNonNull(publicAddress, "publicAddress");
  }

  public Optional<String> router() {
    return Optional.ofNullable(routerNamespace);
  }
}
