package io.partynet.core.internal.discovery;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * The built-in table of game LAN discovery ports and groups. Every entry names where it was taken
 * from; docs/lan-discovery.md shows the same table. Entries that could not be confirmed from a
 * citable source are left out (add them with {@code discovery.ports} / {@code discovery.groups}).
 */
public final class WellKnownDiscovery {
  private static final String DISCOVERY_HELPER =
      "OpenSourceLAN/service-discovery-helper GAMES.md (ports observed by LAN party operators)";

  /**
   * One game's discovery traffic.
   *
   * @param broadcastPorts ports the game broadcasts to (255.255.255.255 or the subnet broadcast)
   * @param groups multicast groups and ports it sends to
   * @param source where the entry was taken from
   */
  public record Entry(String game, List<Integer> broadcastPorts, List<GroupPort> groups, String source) {
    public Entry {
      Objects.requireNonNull(game, "game");
      broadcastPorts = List.copyOf(broadcastPorts);
      groups = List.copyOf(groups);
      Objects.requireNonNull(source, "source");
    }
  }

  private static final List<Entry> ENTRIES = List.of(
      new Entry("Minecraft: Java Edition (Open to LAN)", List.of(), List.of(new GroupPort("224.0.2.60", 4445)),
          "Minecraft client classes LanServerPinger (sends to 224.0.2.60:4445) and LanServerDetection "
              + "(MulticastSocket(4445) joined to 224.0.2.60), as seen in public mod sources"),
      new Entry("Quake III Arena engines (ioquake3 and forks)", range(27960, 27963), List.of(),
          "ioquake/ioq3 code/qcommon/qcommon.h (PORT_SERVER 27960, NUM_SERVER_PORTS 4) and "
              + "code/client/cl_main.c CL_LocalServers_f (NA_BROADCAST to each port)"),
      new Entry("Source engine (HL2DM, TF2, CS:S, CS:GO)", range(27015, 27020), List.of(), DISCOVERY_HELPER),
      new Entry("Warcraft III", List.of(6112), List.of(), DISCOVERY_HELPER),
      new Entry("Unreal Tournament 2004", List.of(10777), List.of(), DISCOVERY_HELPER),
      new Entry("Trackmania, Shootmania", range(2350, 2360), List.of(), DISCOVERY_HELPER),
      new Entry("ARMA 2, DayZ mod", IntStream.rangeClosed(0, (2470 - 2302) / 12).map(i -> 2302 + 12 * i).boxed()
          .toList(), List.of(), DISCOVERY_HELPER),
      new Entry("Warsow", List.of(44400), List.of(), DISCOVERY_HELPER),
      new Entry("FlatOut 2", List.of(23757), List.of(), DISCOVERY_HELPER),
      new Entry("Blur", List.of(50001), List.of(), DISCOVERY_HELPER));

  private WellKnownDiscovery() {}

  public static List<Entry> entries() {
    return ENTRIES;
  }

  /** Every entry's ports and groups together. */
  public static DiscoveryScope scope() {
    List<Integer> ports = new ArrayList<>();
    List<GroupPort> groups = new ArrayList<>();
    for (Entry e : ENTRIES) {
      ports.addAll(e.broadcastPorts());
      groups.addAll(e.groups());
    }
    return new DiscoveryScope(ports, groups);
  }

  private static List<Integer> range(int first, int last) {
    return IntStream.rangeClosed(first, last).boxed().toList();
  }
}
