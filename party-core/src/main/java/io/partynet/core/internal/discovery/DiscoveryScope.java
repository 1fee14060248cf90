package io.partynet.core.internal.discovery;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which datagrams the relay carries: broadcasts to one of {@link #broadcastPorts} and multicasts
 * to one of {@link #groups}. Datagrams to unicast addresses are never discovery. Immutable.
 */
public record DiscoveryScope(Set<Integer> broadcastPorts, Set<GroupPort> groups) {
  public DiscoveryScope(Collection<Integer> broadcastPorts, Collection<GroupPort> groups) {
    this(Set.copyOf(new TreeSet<>(broadcastPorts)), Set.copyOf(groups));
  }

  public DiscoveryScope {
    for (int port : broadcastPorts) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be in 1..65535: " + port);
      }
    }
    broadcastPorts = Set.copyOf(broadcastPorts);
    groups = Set.copyOf(groups);
  }

  public static DiscoveryScope empty() {
    return new DiscoveryScope(Set.<Integer>of(), Set.<GroupPort>of());
  }

  /**
   * True when a datagram to {@code destinationIp:port} is discovery: to a listed group, or a
   * broadcast ({@code destinationIsBroadcast}, which only the capturing side can tell for subnet
   * broadcasts) to a listed port.
   */
  public boolean carries(int destinationIp, int port, boolean destinationIsBroadcast) {
    if (Ipv4.isMulticast(destinationIp)) {
      return groups.contains(new GroupPort(Ipv4.format(destinationIp), port));
    }
    return destinationIsBroadcast && broadcastPorts.contains(port);
  }

  /** Every port of the scope, broadcast and multicast, ascending. */
  public Set<Integer> allPorts() {
    TreeSet<Integer> ports = new TreeSet<>(broadcastPorts);
    groups.forEach(g -> ports.add(g.port()));
    return ports;
  }

  public boolean isEmpty() {
    return broadcastPorts.isEmpty() && groups.isEmpty();
  }
}
