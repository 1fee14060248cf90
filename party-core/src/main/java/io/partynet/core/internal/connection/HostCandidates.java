package io.partynet.core.internal.connection;

import io.partynet.Endpoint;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * This host's own addresses as candidates for a peer's WireGuard (RFC 8445 "host candidates"), and
 * the choice of a peer's host candidate worth trying before its public mapping: one in a subnet of
 * ours (two members behind one router that does not hairpin meet on the LAN), or a global IPv6
 * address when we have one too (IPv6 needs no NAT traversal). Stateless and thread-safe.
 */
public final class HostCandidates {
  /** Most host candidates a member advertises (a signal carries at most 16 entries). */
  public static final int MAX = 8;

  /** One of our addresses and the length of its subnet's prefix. */
  public record LocalAddress(InetAddress address, int prefixLength) {
    /** True when {@code other} is in this address's subnet. */
    boolean sameSubnet(InetAddress other) {
      byte[] a = address.getAddress();
      byte[] b = other.getAddress();
      if (a.length != b.length || prefixLength <= 0) {
        return false;
      }
      int bits = Math.min(prefixLength, a.length * 8);
      for (int i = 0; i < bits; i++) {
        int mask = 0x80 >>> (i % 8);
        if ((a[i / 8] & mask) != (b[i / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }

  /** A peer's candidate worth trying first, and on which kind of path. */
  public record Choice(Endpoint endpoint, PathKind path) {}

  private HostCandidates() {}

  /**
   * Our usable addresses: up, not loopback, link-local, multicast or the party's own interface;
   * at most {@link #MAX}, IPv4 first.
   */
  public static List<LocalAddress> local(String partyInterface) {
    List<LocalAddress> v4 = new ArrayList<>();
    List<LocalAddress> v6 = new ArrayList<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp() || nic.isLoopback() || nic.getName().equals(partyInterface)) {
          continue;
        }
        for (InterfaceAddress ia : nic.getInterfaceAddresses()) {
          InetAddress a = ia.getAddress();
          if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isMulticastAddress() || a.isAnyLocalAddress()) {
            continue;
          }
          InetAddress plain = InetAddress.getByAddress(a.getAddress());
          (plain instanceof Inet4Address ? v4 : v6).add(new LocalAddress(plain, ia.getNetworkPrefixLength()));
        }
      }
    } catch (SocketException | UnknownHostException e) {
      return List.of();
    }
    List<LocalAddress> all = new ArrayList<>(v4);
    all.addAll(v6);
    return List.copyOf(all.subList(0, Math.min(MAX, all.size())));
  }

  /**
   * The addresses of {@code mine} that WireGuard listens on: all of them, or only {@code bound}
   * when its socket is bound to one address (an address not in {@code mine}, such as loopback,
   * leaves none).
   */
  public static List<LocalAddress> listenedOn(List<LocalAddress> mine, Optional<InetAddress> bound) {
    if (bound.isEmpty() || bound.get().isAnyLocalAddress()) {
      return mine;
    }
    return mine.stream().filter(a -> a.address().equals(bound.get())).toList();
  }

  /** Our addresses with WireGuard's listen port: what we tell the other members. */
  public static List<Endpoint> endpoints(List<LocalAddress> mine, int port) {
    return mine.stream().map(a -> Endpoint.of(new InetSocketAddress(a.address(), port))).toList();
  }

  /**
   * The peer's candidate to try before its public mapping, if any: a LAN address when both sit
   * behind one public address (or the peer has none to aim at), which keeps two homes that
   * happen to number their LANs alike from trying each other's; otherwise a global IPv6 address
   * when we have one.
   *
   * @param myPublic our public endpoint, or null
   * @param theirPublic the peer's advertised endpoint, or null
   */
  public static Optional<Choice> choose(List<LocalAddress> mine, Endpoint myPublic, List<Endpoint> theirs,
      Endpoint theirPublic) {
    // A peer with a public endpoint of its own, which we cannot compare with ours, is aimed at there.
    boolean behindOneAddress = theirPublic == null || myPublic != null && myPublic.host().equals(theirPublic.host());
    if (behindOneAddress) {
      for (Endpoint candidate : theirs) {
        InetAddress address = candidate.toSocketAddress().getAddress();
        if (address instanceof Inet4Address && mine.stream().anyMatch(m -> m.sameSubnet(address))) {
          return Optional.of(new Choice(candidate, PathKind.LAN));
        }
      }
    }
    boolean haveGlobalV6 = mine.stream().anyMatch(m -> isGlobalIpv6(m.address()));
    for (Endpoint candidate : theirs) {
      InetAddress address = candidate.toSocketAddress().getAddress();
      if (haveGlobalV6 && isGlobalIpv6(address)) {
        return Optional.of(new Choice(candidate, PathKind.IPV6));
      }
    }
    return Optional.empty();
  }

  /** A global unicast IPv6 address (2000::/3): reachable without NAT. */
  static boolean isGlobalIpv6(InetAddress address) {
    return address instanceof Inet6Address && (address.getAddress()[0] & 0xE0) == 0x20;
  }
}
