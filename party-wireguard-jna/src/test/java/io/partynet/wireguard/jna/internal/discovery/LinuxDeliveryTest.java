package io.partynet.wireguard.jna.internal.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

class LinuxDeliveryTest {
  private static final int LO = 1;
  private static final int ETH = 2;
  private static final int WLAN = 3;
  private static final int TUNNEL = 9;

  @Test
  void aMulticastGoesOutWhereProgramsJoinedItsGroup() {
    assertEquals(Set.of(ETH), LinuxDelivery.interfacesFor(Set.of(ETH), LO, TUNNEL), "a Java game joined on eth");
    assertEquals(Set.of(ETH, WLAN), LinuxDelivery.interfacesFor(Set.of(ETH, WLAN), LO, TUNNEL),
        "joined on two interfaces: once on each (the documented duplicate case)");
    assertEquals(Set.of(LO, ETH), LinuxDelivery.interfacesFor(Set.of(LO, ETH), LO, TUNNEL), "joined on lo too");
  }

  @Test
  void onLoopbackWhenNoProgramJoinedElsewhereAndNeverOnTheTunnel() {
    assertEquals(Set.of(LO), LinuxDelivery.interfacesFor(Set.of(), LO, TUNNEL), "nobody joined");
    assertEquals(Set.of(LO), LinuxDelivery.interfacesFor(Set.of(LO), LO, TUNNEL), "joined on lo only");
    assertEquals(Set.of(LO), LinuxDelivery.interfacesFor(Set.of(TUNNEL), LO, TUNNEL), "joined on the tunnel only");
    assertEquals(Set.of(ETH), LinuxDelivery.interfacesFor(Set.of(TUNNEL, ETH), LO, TUNNEL));
  }
}
