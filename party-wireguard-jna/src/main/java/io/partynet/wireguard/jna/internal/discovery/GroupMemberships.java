package io.partynet.wireguard.jna.internal.discovery;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which IPv4 multicast groups are joined on which interface, and by how many sockets, as the
 * kernel lists them in {@code /proc/net/igmp} (net/ipv4/igmp.c, {@code igmp_mc_seq_show}) for the
 * reading process's network namespace. A device line starts with its ifindex
 * ({@code "2\teth0      :     2      V3"}); each group line below it is indented and holds the
 * group as the 32-bit value of its network-order bytes in host byte order, in hex, then the number
 * of sockets that joined ({@code "\t\t\t\t3C0200E0     1 0:00000000\t\t0"} is 224.0.2.60 joined
 * once on little-endian hosts). Immutable.
 */
final class GroupMemberships {
  static final Path PROC_NET_IGMP = Path.of("/proc/net/igmp");
  /** /proc/net/igmp is a few lines per interface; anything past this is not read. */
  static final int MAX_BYTES = 1 << 20;
  private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

  /** group -> ifindex -> sockets joined. */
  private final Map<Integer, Map<Integer, Integer>> joins;

  private GroupMemberships(Map<Integer, Map<Integer, Integer>> joins) {
    this.joins = joins;
  }

  /** The current memberships of this network namespace. */
  static GroupMemberships read() throws IOException {
    byte[] bytes = Files.readAllBytes(PROC_NET_IGMP);
    return parse(new String(bytes, 0, Math.min(bytes.length, MAX_BYTES), StandardCharsets.US_ASCII), LITTLE_ENDIAN);
  }

  /**
   * {@code text} in the format of {@code /proc/net/igmp}, written by a host of the given byte
   * order; lines that do not fit the format are skipped.
   */
  static GroupMemberships parse(String text, boolean littleEndian) {
    Map<Integer, Map<Integer, Integer>> joins = new HashMap<>();
    Integer device = null;
    for (String line : text.split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      String[] fields = line.strip().split("\\s+");
      if (!Character.isWhitespace(line.charAt(0))) {
        device = line.contains(":") ? parseUnsigned(fields[0], 10) : null;
      } else if (device != null && fields.length >= 2) {
        Integer printed = parseUnsigned(fields[0], 16);
        Integer users = parseUnsigned(fields[1], 10);
        if (printed != null && users != null && fields[0].length() == 8) {
          int group = littleEndian ? Integer.reverseBytes(printed) : printed;
          joins.computeIfAbsent(group, g -> new HashMap<>()).merge(device, users, Integer::sum);
        }
      }
    }
    return new GroupMemberships(joins);
  }

  /**
   * The interfaces where some socket other than the relay's own has joined {@code group}:
   * {@code relayJoined} are the interfaces where the relay holds one membership of its own.
   */
  Set<Integer> joinedByOthers(int group, Set<Integer> relayJoined) {
    Set<Integer> found = new TreeSet<>();
    joins.getOrDefault(group, Map.of()).forEach((ifindex, users) -> {
      if (users - (relayJoined.contains(ifindex) ? 1 : 0) > 0) {
        found.add(ifindex);
      }
    });
    return found;
  }

  private static Integer parseUnsigned(String s, int radix) {
    try {
      long value = Long.parseLong(s, radix);
      return value >= 0 && value <= 0xFFFF_FFFFL ? (int) value : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
