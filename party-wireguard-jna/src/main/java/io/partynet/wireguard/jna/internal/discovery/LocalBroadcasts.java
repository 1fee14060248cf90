package io.partynet.wireguard.jna.internal.discovery;

import io.partynet.core.internal.discovery.Ipv4;
import java.net.Inet4Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/**
 * The subnet broadcast addresses of this host's interfaces (192.168.1.255 for 192.168.1.7/24),
 * read from {@link NetworkInterface} and re-read at most every {@value #REFRESH_MILLIS} ms, so a
 * datagram to one of them counts as a broadcast. Thread-safe.
 */
final class LocalBroadcasts {
  static final long REFRESH_MILLIS = 5000;
  private volatile Set<Integer> addresses = Set.of();
  private volatile long readAt = Long.MIN_VALUE;

  boolean contains(int address) {
    long now = System.nanoTime() / 1_000_000;
    if (readAt == Long.MIN_VALUE || now - readAt > REFRESH_MILLIS) {
      addresses = read();
      readAt = now;
    }
    return addresses.contains(address);
  }

  private static Set<Integer> read() {
    Set<Integer> found = new HashSet<>();
    try {
      for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InterfaceAddress a : nif.getInterfaceAddresses()) {
          if (a.getBroadcast() instanceof Inet4Address b) {
            found.add(Ipv4.parse(b.getHostAddress()));
          }
        }
      }
    } catch (SocketException e) {
      // no interfaces readable: only 255.255.255.255 counts as a broadcast
    }
    return Set.copyOf(found);
  }
}
