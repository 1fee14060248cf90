package io.partynet;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the party's LAN discovery relay has done since the interface came up (see
 * docs/lan-discovery.md): broadcasts and multicasts of local programs relayed to the other
 * members, relayed datagrams delivered to local programs, and what was refused. Immutable and
 * thread-safe.
 *
 * @param mode how this member captures and delivers discovery datagrams ({@code "linux-raw"},
 *     {@code "loopback"}, ...) or {@code "off"} when the relay is disabled or cannot run here
 * @param relayed local discovery datagrams sent to the other members (one count per datagram,
 *     not per member)
 * @param delivered datagrams from other members handed to local programs
 * @param dropped datagrams refused: malformed, oversized, from a non-member, or not deliverable
 * @param rateLimited datagrams refused because a member's port exceeded its rate
 * @param captureOverflows local discovery datagrams the operating system dropped because the
 *     capture buffer was full before the relay read them (on Linux the packet socket's
 *     {@code tp_drops}); never relayed, and not in any other count
 * @param portsSeen per discovery port, how many datagrams (local and relayed) were seen
 */
public record DiscoveryStats(String mode, long relayed, long delivered, long dropped, long rateLimited,
    long captureOverflows, Map<Integer, Long> portsSeen) {
  /**
   * Checks and copies the components.
   *
   * @param mode how this member captures and delivers discovery datagrams, or {@code "off"}
   * @param relayed local discovery datagrams sent to the other members
   * @param delivered datagrams from other members handed to local programs
   * @param dropped datagrams refused
   * @param rateLimited datagrams refused because a member's port exceeded its rate
   * @param captureOverflows local discovery datagrams the operating system dropped before capture
   * @param portsSeen per discovery port, how many datagrams were seen; copied
   * @throws NullPointerException when {@code mode} or {@code portsSeen} is null, or
   *     {@code portsSeen} holds a null key or value
   */
  public DiscoveryStats {
    Objects.requireNonNull(mode, "mode");
    portsSeen = Map.copyOf(portsSeen);
  }

  /**
   * The statistics of a relay that does not run.
   *
   * @return mode {@code "off"} and every count zero
   */
  public static DiscoveryStats off() {
    return new DiscoveryStats("off", 0, 0, 0, 0, 0, Map.of());
  }

  /**
   * The ports seen, in ascending port order.
   *
   * @return a sorted copy of {@link #portsSeen()}
   */
  public Map<Integer, Long> portsSeenSorted() {
    return new TreeMap<>(portsSeen);
  }
}
