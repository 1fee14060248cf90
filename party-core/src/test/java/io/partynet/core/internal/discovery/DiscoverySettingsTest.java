package io.partynet.core.internal.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DiscoverySettingsTest {
  private static DiscoverySettings read(Map<String, String> values) {
    return DiscoverySettings.read((key, fallback) -> values.getOrDefault(key, fallback));
  }

  @Test
  void defaultsAreTheBuiltInTableWithGenerousLimits() {
    DiscoverySettings d = read(Map.of());
    assertTrue(d.enabled());
    assertEquals(WellKnownDiscovery.scope(), d.scope());
    assertEquals(20, d.ratePerSecond());
    assertEquals(40, d.burst());
    assertEquals(1380, d.maxPayload());
    assertEquals(51898, d.relayPort());
    assertTrue(d.scope().groups().contains(new GroupPort("224.0.2.60", 4445)));
    assertTrue(d.scope().broadcastPorts().containsAll(Set.of(27015, 27020, 27960, 27963, 6112)));
  }

  @Test
  void portsAreAddedAndRemovedInOrder() {
    DiscoverySettings d = read(Map.of("discovery.ports", "7777, +8000-8002, -6112, -27015-27020, 8001"));
    Set<Integer> ports = d.scope().broadcastPorts();
    assertTrue(ports.containsAll(Set.of(7777, 8000, 8001, 8002, 27960)));
    assertFalse(ports.contains(6112));
    assertFalse(ports.contains(27017));
  }

  @Test
  void minusStarRemovesTheBuiltInTableOnly() {
    DiscoverySettings d = read(Map.of("discovery.ports", "-*, 7777", "discovery.groups", "-*, +239.255.0.1:9999"));
    assertEquals(Set.of(7777), d.scope().broadcastPorts());
    assertEquals(Set.of(new GroupPort("239.255.0.1", 9999)), d.scope().groups());
    DiscoverySettings none = read(Map.of("discovery.groups", "-224.0.2.60:4445"));
    assertTrue(none.scope().groups().isEmpty());
  }

  @Test
  void malformedValuesNameTheSetting() {
    assertMessage("discovery.ports", Map.of("discovery.ports", "abc"));
    assertMessage("discovery.ports", Map.of("discovery.ports", "70000"));
    assertMessage("discovery.ports", Map.of("discovery.ports", "9-3"));
    assertMessage("discovery.groups", Map.of("discovery.groups", "10.0.0.1:80"));
    assertMessage("discovery.groups", Map.of("discovery.groups", "224.0.0.1"));
    assertMessage("discovery.enabled", Map.of("discovery.enabled", "maybe"));
    assertMessage("discovery.rate", Map.of("discovery.rate", "0"));
    assertMessage("discovery.max-datagram-bytes", Map.of("discovery.max-datagram-bytes", "5000"));
    assertMessage("discovery.relay-port", Map.of("discovery.relay-port", "x"));
  }

  @Test
  void disabledAndHostGroups() {
    assertFalse(read(Map.of("discovery.enabled", "false")).enabled());
    assertFalse(read(Map.of()).embeddedJoinGroups(), "joining host groups sends IGMP: off by default");
    assertTrue(read(Map.of("discovery.embedded-join-groups", "true")).embeddedJoinGroups());
  }

  @Test
  void everyBuiltInEntryNamesItsSource() {
    for (WellKnownDiscovery.Entry e : WellKnownDiscovery.entries()) {
      assertFalse(e.source().isBlank(), e.game());
      assertFalse(e.broadcastPorts().isEmpty() && e.groups().isEmpty(), e.game());
    }
  }

  private static void assertMessage(String key, Map<String, String> values) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(values));
    assertTrue(e.getMessage().contains(key), e.getMessage());
  }
}
