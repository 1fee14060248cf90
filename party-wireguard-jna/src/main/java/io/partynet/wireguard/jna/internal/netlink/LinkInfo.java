package io.partynet.wireguard.jna.internal.netlink;

import java.util.Objects;
import java.util.Optional;

/**
 * A network interface as rtnetlink reports it (RTM_NEWLINK answer).
 *
 * @param kind the IFLA_INFO_KIND ({@code wireguard}, {@code dummy}, {@code veth}, {@code tun}), when reported
 *
 * <p>Immutable and thread-safe.
 */
public record LinkInfo(int index, String name, int flags, int mtu, Optional<String> kind) {
  public LinkInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
  }

  public boolean isUp() {
    return (flags & IfInfoMsg.IFF_UP) != 0;
  }
}
