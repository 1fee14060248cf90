package io.partynet.wireguard.jna.internal.netlink;

import java.util.Objects;
import java.util.Optional;

/**
 * A network interface as rtnetlink reports it (RTM_NEWLINK answer).
 *
 * @param kind the IFLA_INFO_KIND ({@code wireguard}, {@code dummy}, {@code veth}, {@code tun}), when reported
 * @param alias the IFLA_IFALIAS ({@code ip link set NAME alias TEXT}), when the link has one
 *
 * <p>Immutable and thread-safe.
 */
public record LinkInfo(int index, String name, int flags, int mtu, Optional<String> kind, Optional<String> alias) {
  public LinkInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(alias, "alias");
  }

  public boolean isUp() {
    return (flags & IfInfoMsg.IFF_UP) != 0;
  }
}
