package io.partynet.wireguard.jna.internal.netlink;

import io.partynet.IpPrefix;
import java.util.Objects;

/** An interface address as rtnetlink reports it (RTM_NEWADDR answer). Immutable and thread-safe. */
public record AddressInfo(int interfaceIndex, IpPrefix prefix) {
  public AddressInfo {
    Objects.requireNonNull(prefix, "prefix");
  }
}
