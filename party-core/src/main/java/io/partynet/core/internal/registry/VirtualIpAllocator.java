package io.partynet.core.internal.registry;

import io.partynet.IpPrefix;
import io.partynet.PartyException;
import io.partynet.Peer;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/** Picks the lowest free host address of an IPv4 subnet. Stateless and thread-safe. */
final class VirtualIpAllocator {
  private final long network;
  private final long hostCount;

  VirtualIpAllocator(IpPrefix subnet) {
    IpPrefix net = subnet.network();
    this.network = toLong(net.addressBytes());
    // Network and broadcast addresses are never handed out.
    this.hostCount = (1L << (32 - net.prefixLength())) - 2;
  }

  String first() {
    return toLiteral(network + 1);
  }

  String lowestFree(Collection<Peer> members) {
    Set<Long> used = new HashSet<>();
    for (Peer p : members) {
      if (p.virtualIp() != null) {
        used.add(toLong(IpPrefix.parse(p.virtualIp()).addressBytes()));
      }
    }
    for (long offset = 1; offset <= hostCount; offset++) {
      if (!used.contains(network + offset)) {
        return toLiteral(network + offset);
      }
    }
    throw PartyException.of(PartyException.Reason.PARTY_FULL,
        "The party's virtual subnet has no free address: configure a larger network.subnet");
  }

  private static long toLong(byte[] b) {
    return ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL);
  }

  private static String toLiteral(long v) {
    return ((v >>> 24) & 0xFF) + "." + ((v >>> 16) & 0xFF) + "." + ((v >>> 8) & 0xFF) + "." + (v & 0xFF);
  }
}
