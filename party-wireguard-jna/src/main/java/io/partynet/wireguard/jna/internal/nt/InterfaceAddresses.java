package io.partynet.wireguard.jna.internal.nt;

import io.partynet.IpPrefix;
import java.io.IOException;

/**
 * Sets the IP configuration of a network interface named by its LUID: an address, the MTU.
 * Implementations are thread-safe.
 */
public interface InterfaceAddresses {

  void addAddress(long luid, IpPrefix address) throws IOException;

  /** Sets the MTU the interface uses for {@code ipv6 ? IPv6 : IPv4}. */
  void setMtu(long luid, boolean ipv6, int mtu) throws IOException;
}
