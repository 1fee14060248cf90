package io.partynet.core.internal.discovery;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The relay's settings (docs/configuration.md, docs/lan-discovery.md):
 * <ul>
 *   <li>{@code discovery.enabled} (default {@code true});</li>
 *   <li>{@code discovery.ports}: changes to the built-in broadcast ports, comma-separated, applied
 *       in order: {@code 7777} or {@code +7777} adds, {@code 7000-7010} adds a range, {@code -6112}
 *       or {@code -27015-27020} removes, {@code -*} removes every built-in port;</li>
 *   <li>{@code discovery.groups}: the same for multicast groups, {@code GROUP:PORT} adds,
 *       {@code -GROUP:PORT} removes, {@code -*} removes every built-in group;</li>
 *   <li>{@code discovery.rate} and {@code discovery.burst}: datagrams per second, and the burst,
 *       allowed per member and port (defaults {@value #DEFAULT_RATE} and {@value #DEFAULT_BURST});</li>
 *   <li>{@code discovery.max-datagram-bytes}: the largest payload relayed (default and maximum
 *       {@value #MAX_PAYLOAD}, what fits one tunnel packet with the default MTU);</li>
 *   <li>{@code discovery.relay-port}: the UDP port on every member's virtual IP that carries relayed
 *       datagrams (default {@value #DEFAULT_RELAY_PORT});</li>
 *   <li>{@code discovery.embedded-join-groups} (default {@code false}): with the embedded backend,
 *       join the multicast groups on the host's interfaces to capture local announcements (which
 *       sends IGMP membership reports on the LAN, so it is the launcher's choice).</li>
 * </ul>
 * Immutable.
 */
public record DiscoverySettings(boolean enabled, DiscoveryScope scope, double ratePerSecond, int burst,
    int maxPayload, int relayPort, boolean embeddedJoinGroups) {
  public static final int DEFAULT_RELAY_PORT = 51898;
  public static final int DEFAULT_RATE = 20;
  public static final int DEFAULT_BURST = 40;
  /** Tunnel MTU 1420 - 20 (IPv4) - 8 (UDP) - the relay's frame header. */
  public static final int MAX_PAYLOAD = 1420 - 28 - RelayFrame.HEADER_BYTES;

  public DiscoverySettings {
    if (!(ratePerSecond > 0) || burst < 1) {
      throw new IllegalArgumentException("discovery.rate must be positive and discovery.burst at least 1");
    }
    if (maxPayload < 1 || maxPayload > MAX_PAYLOAD) {
      throw new IllegalArgumentException("discovery.max-datagram-bytes must be in 1.." + MAX_PAYLOAD);
    }
    if (relayPort < 1 || relayPort > 65535) {
      throw new IllegalArgumentException("discovery.relay-port must be in 1..65535");
    }
  }

  /** Settings without host group membership for the embedded backend. */
  public DiscoverySettings(boolean enabled, DiscoveryScope scope, double ratePerSecond, int burst, int maxPayload,
      int relayPort) {
    this(enabled, scope, ratePerSecond, burst, maxPayload, relayPort, false);
  }

  public static DiscoverySettings defaults() {
    return new DiscoverySettings(true, WellKnownDiscovery.scope(), DEFAULT_RATE, DEFAULT_BURST, MAX_PAYLOAD,
        DEFAULT_RELAY_PORT);
  }

  /**
   * Reads the settings through {@code setting} (key, fallback) -> value, e.g.
   * {@code PartyConfig::setting}.
   *
   * @throws IllegalArgumentException naming the setting when a value is malformed
   */
  public static DiscoverySettings read(BiFunction<String, String, String> setting) {
    DiscoverySettings d = defaults();
    boolean enabled = parseBoolean("discovery.enabled", setting.apply("discovery.enabled", "true"));
    DiscoveryScope builtIn = WellKnownDiscovery.scope();
    Set<Integer> ports = applyPorts(builtIn.broadcastPorts(), setting.apply("discovery.ports", ""));
    Set<GroupPort> groups = applyGroups(builtIn.groups(), setting.apply("discovery.groups", ""));
    double rate = parseNumber("discovery.rate", setting.apply("discovery.rate", Integer.toString(DEFAULT_RATE)));
    int burst = parseInt("discovery.burst", setting.apply("discovery.burst", Integer.toString(d.burst())));
    int max = parseInt("discovery.max-datagram-bytes",
        setting.apply("discovery.max-datagram-bytes", Integer.toString(d.maxPayload())));
    int port = parseInt("discovery.relay-port", setting.apply("discovery.relay-port", Integer.toString(d.relayPort())));
    boolean joinGroups = parseBoolean("discovery.embedded-join-groups",
        setting.apply("discovery.embedded-join-groups", "false"));
    return new DiscoverySettings(enabled, new DiscoveryScope(ports, groups), rate, burst, max, port, joinGroups);
  }

  static Set<Integer> applyPorts(Set<Integer> builtIn, String changes) {
    Set<Integer> ports = new LinkedHashSet<>(builtIn);
    for (String raw : items(changes)) {
      boolean remove = raw.startsWith("-");
      String item = raw.startsWith("-") || raw.startsWith("+") ? raw.substring(1).trim() : raw;
      if (remove && item.equals("*")) {
        ports.removeAll(builtIn);
        continue;
      }
      int dash = item.indexOf('-');
      int first = port(item.substring(0, dash < 0 ? item.length() : dash), raw);
      int last = dash < 0 ? first : port(item.substring(dash + 1), raw);
      if (last < first) {
        throw new IllegalArgumentException("discovery.ports: range " + raw + " ends before it starts");
      }
      for (int p = first; p <= last; p++) {
        if (remove) {
          ports.remove(p);
        } else {
          ports.add(p);
        }
      }
    }
    return ports;
  }

  static Set<GroupPort> applyGroups(Set<GroupPort> builtIn, String changes) {
    Set<GroupPort> groups = new LinkedHashSet<>(builtIn);
    for (String raw : items(changes)) {
      boolean remove = raw.startsWith("-");
      String item = raw.startsWith("-") || raw.startsWith("+") ? raw.substring(1).trim() : raw;
      if (remove && item.equals("*")) {
        groups.removeAll(builtIn);
        continue;
      }
      GroupPort group;
      try {
        group = GroupPort.parse(item);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("discovery.groups: " + e.getMessage(), e);
      }
      if (remove) {
        groups.remove(group);
      } else {
        groups.add(group);
      }
    }
    return groups;
  }

  private static String[] items(String list) {
    String trimmed = list.trim();
    return trimmed.isEmpty() ? new String[0] : java.util.Arrays.stream(trimmed.split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).toArray(String[]::new);
  }

  private static int port(String text, String item) {
    try {
      int p = Integer.parseInt(text.trim());
      if (p >= 1 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("discovery.ports: expected PORT, +PORT, -PORT or FIRST-LAST with ports in "
        + "1..65535, got '" + item + "'");
  }

  private static boolean parseBoolean(String key, String text) {
    return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw new IllegalArgumentException(key + " must be true or false, got '" + text + "'");
    };
  }

  private static int parseInt(String key, String text) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, got '" + text + "'", e);
    }
  }

  private static double parseNumber(String key, String text) {
    try {
      return Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number, got '" + text + "'", e);
    }
  }
}
