package io.partynet.wireguard.jna.internal.nt;

import io.partynet.IpPrefix;
import java.io.IOException;

/** Assigns an IP address to a network interface named by its LUID. Implementations are thread-safe. */
public interface InterfaceAddresses {

  void addAddress(long luid, IpPrefix address) throws IOException;
}
