package io.partynet.wireguard.jna.internal.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.partynet.core.internal.discovery.Ipv4;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class GroupMembershipsTest {
  private static final int MINECRAFT = Ipv4.parse("224.0.2.60");
  private static final int ALL_HOSTS = Ipv4.parse("224.0.0.1");

  /** Read from a lab namespace (kernel 6.x, little-endian): a Java listener joined 224.0.2.60 on the veth. */
  private static final String LITTLE_ENDIAN_HOST = """
      Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter
      1\tlo        :     2      V3
      \t\t\t\t3C0200E0     1 0:00000000\t\t0
      \t\t\t\t010000E0     1 0:00000000\t\t0
      2\tl13va     :     2      V3
      \t\t\t\t3C0200E0     2 0:00000000\t\t0
      \t\t\t\t010000E0     1 0:00000000\t\t0
      7\twg0       :     0      V3
      """;

  @Test
  void readsGroupsPerInterfaceInTheHostsByteOrder() {
    GroupMemberships m = GroupMemberships.parse(LITTLE_ENDIAN_HOST, true);
    assertEquals(Set.of(1, 2), m.joinedByOthers(MINECRAFT, Set.of()));
    assertEquals(Set.of(1, 2), m.joinedByOthers(ALL_HOSTS, Set.of()));
    assertEquals(Set.of(), m.joinedByOthers(Ipv4.parse("239.255.255.250"), Set.of()));
    String bigEndianHost = LITTLE_ENDIAN_HOST.replace("3C0200E0", "E000023C").replace("010000E0", "E0000001");
    assertEquals(Set.of(1, 2), GroupMemberships.parse(bigEndianHost, false).joinedByOthers(MINECRAFT, Set.of()));
  }

  @Test
  void theRelaysOwnMembershipIsNotAProgramsOne() {
    GroupMemberships m = GroupMemberships.parse(LITTLE_ENDIAN_HOST, true);
    assertEquals(Set.of(2), m.joinedByOthers(MINECRAFT, Set.of(1)), "lo has only the relay's membership");
    assertEquals(Set.of(2), m.joinedByOthers(MINECRAFT, Set.of(1, 2)), "the veth has a program's besides the relay's");
  }

  @Test
  void skipsLinesThatDoNotFitTheFormat() {
    String text = """
        Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter
        \t\t\t\t3C0200E0     1 0:00000000\t\t0
        x\tbroken    :     1      V3
        \t\t\t\t3C0200E0     1 0:00000000\t\t0
        3\teth0      :     3      V3
        \t\t\t\t3C0200E0
        \t\t\t\tZZ0200E0     1 0:00000000\t\t0
        \t\t\t\t3C0200E     1 0:00000000\t\t0
        \t\t\t\t3C0200E0     -1 0:00000000\t\t0
        \t\t\t\t3C0200E0     1 0:00000000\t\t0
        """;
    assertEquals(Set.of(3), GroupMemberships.parse(text, true).joinedByOthers(MINECRAFT, Set.of()));
  }

  /** Any memberships written in the kernel's format, in either byte order, read back the same. */
  @Property(tries = 200)
  void readsWhatTheKernelWrites(@ForAll @Size(max = 6) Map<@IntRange(min = 1, max = 4000) Integer,
      @Size(max = 4) Map<Integer, @IntRange(min = 0, max = 9) Integer>> devices, @ForAll boolean littleEndian,
      @ForAll @Size(max = 3) Set<@IntRange(min = 1, max = 4000) Integer> relayJoined) {
    StringBuilder text = new StringBuilder("Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n");
    Map<Integer, Set<Integer>> expected = new HashMap<>();
    devices.forEach((ifindex, groups) -> {
      text.append(String.format("%d\t%-10s: %5d %7s%n", ifindex, "if" + ifindex, groups.size(), "V3"));
      groups.forEach((group, users) -> {
        int printed = littleEndian ? Integer.reverseBytes(group) : group;
        text.append(String.format("\t\t\t\t%08X %5d %d:%08X\t\t%d%n", printed, users, 0, 0, 0));
        if (users - (relayJoined.contains(ifindex) ? 1 : 0) > 0) {
          expected.computeIfAbsent(group, g -> new TreeSet<>()).add(ifindex);
        }
      });
    });
    GroupMemberships m = GroupMemberships.parse(text.toString(), littleEndian);
    for (Map<Integer, Integer> groups : devices.values()) {
      for (int group : groups.keySet()) {
        assertEquals(expected.getOrDefault(group, Set.of()), m.joinedByOthers(group, relayJoined));
      }
    }
  }
}
