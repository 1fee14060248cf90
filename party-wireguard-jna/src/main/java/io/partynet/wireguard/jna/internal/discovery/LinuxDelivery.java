package io.partynet.wireguard.jna.internal.discovery;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import io.partynet.core.internal.discovery.Ipv4;
import io.partynet.wireguard.jna.internal.device.ErrnoException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands relayed datagrams to local programs through raw IPv4 sockets ({@code IPPROTO_RAW}: the
 * packet carries the sending member's virtual IP and port as source, and TTL 0). A delivery never
 * leaves the host:
 *
 * <ul>
 *   <li><b>Broadcasts</b> go out on the loopback device ({@code SO_BINDTODEVICE lo}), which hands
 *       them to every local socket bound to the port.</li>
 *   <li><b>Multicasts</b> go out once on each interface where a local program joined the group
 *       (read from {@link GroupMemberships}, at most {@link GroupMembershipCache#MAX_AGE} old). The kernel loops a multicast back to local members
 *       when the group is joined on the output interface ({@code ip_mc_output}) and then drops it,
 *       as its TTL is 0, before it reaches the wire. A Java program receives it only this way: the
 *       JDK turns {@code IP_MULTICAST_ALL} off, so its socket takes a multicast only on an
 *       interface where it joined the group. The relay joins the group on that interface itself
 *       before sending (no IGMP report: the interface is a member already), because without any
 *       membership there the kernel would send the packet with {@code ip_output}, which does not
 *       drop TTL 0 (seen in the lab), should the program leave just before; it leaves again once
 *       no program there is a member. When no program joined the group anywhere but on loopback,
 *       the datagram goes out on loopback, where the relay is a member, which reaches sockets
 *       bound to the port that keep the kernel's default {@code IP_MULTICAST_ALL} (socat, C
 *       programs).</li>
 * </ul>
 *
 * <p>A socket with {@code IP_MULTICAST_ALL} on receives one copy per interface delivered on, so a
 * group joined on several interfaces gives such sockets as many copies; this is the only case with
 * duplicates. Looped-back packets are {@code PACKET_LOOPBACK}, which packet sockets never see, so
 * the capture does not take them back.
 *
 * <p>Not thread-safe: {@link LinuxDiscoveryTap} calls it under its lock.
 */
final class LinuxDelivery implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LinuxDelivery.class);
  private static final SocketLibC C = SocketLibC.INSTANCE;

  private final int loopbackIndex;
  private final int tunnelIndex;
  /** Bound to lo: broadcasts and multicasts that nobody joined on another interface; member of each group on lo. */
  private final int loopbackFd;
  /** Not bound: multicasts on the interfaces where programs joined, chosen per send with IP_MULTICAST_IF. */
  private final int interfaceFd;
  private final Set<Integer> loopbackGroups = new HashSet<>();
  /** group -> the interfaces (other than lo) where {@link #interfaceFd} joined it. */
  private final Map<Integer, Set<Integer>> interfaceGroups = new HashMap<>();
  /** Who joined which group: read afresh every {@link GroupMembershipCache#MAX_AGE}, not per delivery. */
  private final GroupMembershipCache memberships =
      new GroupMembershipCache(GroupMemberships::read, Clock.systemUTC());

  private LinuxDelivery(int loopbackIndex, int tunnelIndex, int loopbackFd, int interfaceFd) {
    this.loopbackIndex = loopbackIndex;
    this.tunnelIndex = tunnelIndex;
    this.loopbackFd = loopbackFd;
    this.interfaceFd = interfaceFd;
  }

  static LinuxDelivery open(int loopbackIndex, int tunnelIndex) throws IOException {
    int loopbackFd = rawSocket();
    try {
      byte[] device = "lo\0".getBytes(StandardCharsets.US_ASCII);
      SocketLibC.check(C.setsockopt(loopbackFd, SocketLibC.SOL_SOCKET, SocketLibC.SO_BINDTODEVICE, device,
          device.length), "SO_BINDTODEVICE lo");
      byte[] one = SocketLibC.nativeInt(1);
      SocketLibC.check(C.setsockopt(loopbackFd, SocketLibC.SOL_SOCKET, SocketLibC.SO_BROADCAST, one, one.length),
          "SO_BROADCAST");
      return new LinuxDelivery(loopbackIndex, tunnelIndex, loopbackFd, rawSocket());
    } catch (IOException e) {
      C.close(loopbackFd);
      throw e;
    }
  }

  void deliver(UdpPacket packet) throws IOException {
    byte[] bytes = packet.build();
    int destination = packet.destinationIp();
    if (!Ipv4.isMulticast(destination)) {
      send(loopbackFd, bytes, destination, "lo");
      return;
    }
    if (loopbackGroups.add(destination)) {
      try {
        membership(loopbackFd, SocketLibC.IP_ADD_MEMBERSHIP, destination, loopbackIndex);
      } catch (IOException e) {
        loopbackGroups.remove(destination);
        throw e;
      }
    }
    Set<Integer> relayJoined = new HashSet<>(interfaceGroups.getOrDefault(destination, Set.of()));
    relayJoined.add(loopbackIndex);
    Set<Integer> targets = interfacesFor(memberships.current().joinedByOthers(destination, relayJoined),
        loopbackIndex, tunnelIndex);
    leaveWhereNoProgramIs(destination, targets);
    List<IOException> failures = new ArrayList<>();
    int sent = 0;
    for (int ifindex : targets) {
      sent += attempt(() -> {
        if (ifindex == loopbackIndex) {
          send(loopbackFd, bytes, destination, "lo");
        } else {
          sendOnInterface(bytes, destination, ifindex);
        }
      }, failures);
    }
    if (sent == 0) {
      IOException failed = failures.get(0);
      failures.stream().skip(1).forEach(failed::addSuppressed);
      throw failed;
    }
    failures.forEach(e -> LOG.debug("discovery delivery to {} failed on one interface: {}", packet, e.toString()));
  }

  /**
   * Where a multicast goes out, given the interfaces where programs joined its group: each of them
   * but the tunnel, or loopback alone when there is none.
   */
  static Set<Integer> interfacesFor(Set<Integer> joinedByOthers, int loopbackIndex, int tunnelIndex) {
    Set<Integer> targets = new TreeSet<>(joinedByOthers);
    targets.remove(tunnelIndex);
    if (targets.isEmpty()) {
      targets.add(loopbackIndex);
    }
    return targets;
  }

  @Override
  public void close() {
    C.close(loopbackFd);
    C.close(interfaceFd);
  }

  private void sendOnInterface(byte[] bytes, int group, int ifindex) throws IOException {
    Set<Integer> joinedHere = interfaceGroups.computeIfAbsent(group, g -> new HashSet<>());
    if (!joinedHere.contains(ifindex)) {
      // Never send without a membership on the interface: then TTL 0 alone would not keep it off the wire.
      membership(interfaceFd, SocketLibC.IP_ADD_MEMBERSHIP, group, ifindex);
      joinedHere.add(ifindex);
    }
    byte[] mreqn = mreqn(0, ifindex);
    SocketLibC.check(C.setsockopt(interfaceFd, SocketLibC.IPPROTO_IP, SocketLibC.IP_MULTICAST_IF, mreqn,
        mreqn.length), "IP_MULTICAST_IF " + ifindex);
    send(interfaceFd, bytes, group, "interface " + ifindex);
  }

  private void leaveWhereNoProgramIs(int group, Set<Integer> targets) {
    Set<Integer> joinedHere = interfaceGroups.getOrDefault(group, Set.of());
    for (Integer ifindex : List.copyOf(joinedHere)) {
      if (!targets.contains(ifindex)) {
        try {
          membership(interfaceFd, SocketLibC.IP_DROP_MEMBERSHIP, group, ifindex);
        } catch (IOException e) {
          // the interface is gone, and the membership with it
          LOG.debug("discovery delivery: leaving {} on interface {}: {}", Ipv4.format(group), ifindex, e.toString());
        }
        joinedHere.remove(ifindex);
      }
    }
  }

  private static int attempt(IoAction action, List<IOException> failures) {
    try {
      action.run();
      return 1;
    } catch (IOException e) {
      failures.add(e);
      return 0;
    }
  }

  private static void send(int fd, byte[] packet, int destination, String where) throws IOException {
    byte[] to = sockaddrIn(destination);
    long sent = C.sendto(fd, packet, new NativeLong(packet.length), 0, to, to.length).longValue();
    if (sent < 0) {
      throw new ErrnoException("sendto(raw, " + Ipv4.format(destination) + ", " + where + ")", Native.getLastError());
    }
  }

  /** Joins or leaves; either changes what {@code /proc/net/igmp} lists, so the next delivery reads it again. */
  private void membership(int fd, int option, int group, int ifindex) throws IOException {
    memberships.invalidate();
    byte[] mreqn = mreqn(group, ifindex);
    SocketLibC.check(C.setsockopt(fd, SocketLibC.IPPROTO_IP, option, mreqn, mreqn.length),
        (option == SocketLibC.IP_ADD_MEMBERSHIP ? "IP_ADD_MEMBERSHIP " : "IP_DROP_MEMBERSHIP ") + Ipv4.format(group)
            + " on interface " + ifindex);
  }

  /** {@code struct ip_mreqn}: group, local address (any), ifindex. */
  private static byte[] mreqn(int group, int ifindex) {
    ByteBuffer b = ByteBuffer.allocate(12);
    b.putInt(group).putInt(0);
    b.order(ByteOrder.nativeOrder()).putInt(ifindex);
    return b.array();
  }

  private static byte[] sockaddrIn(int address) {
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
    b.putShort((short) SocketLibC.AF_INET);
    b.order(ByteOrder.BIG_ENDIAN).putShort((short) 0).putInt(address);
    return b.array();
  }

  private static int rawSocket() throws IOException {
    int fd = C.socket(SocketLibC.AF_INET, SocketLibC.SOCK_RAW | SocketLibC.SOCK_CLOEXEC, SocketLibC.IPPROTO_RAW);
    if (fd < 0) {
      throw new ErrnoException("socket(AF_INET, SOCK_RAW, IPPROTO_RAW)", Native.getLastError());
    }
    return fd;
  }

  @FunctionalInterface
  private interface IoAction {
    void run() throws IOException;
  }
}
