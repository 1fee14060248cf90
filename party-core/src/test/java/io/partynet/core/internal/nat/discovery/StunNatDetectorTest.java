package io.partynet.core.internal.nat.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Endpoint;
import io.partynet.NatType;
import io.partynet.spi.NatReport;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Detection failures become UNKNOWN with a reason, never an exception; classification table. */
class StunNatDetectorTest {
  private static final StunTiming FAST = new StunTiming(Duration.ofMillis(20), 2, 2);

  @Test
  void noConfiguredServerMeansUnknownWithoutAnyTraffic() throws Exception {
    NatReport report = new StunNatDetector(List.of()).detect(0).get(1, TimeUnit.SECONDS);
    assertEquals(NatType.UNKNOWN, report.natType());
    assertEquals(StunNatDetector.NO_SERVER, report.detail());
    assertNull(report.mappedEndpoint());
  }

  @Test
  void aSilentServerMeansUnknownWithTheReason() throws Exception {
    try (DatagramChannel silent = DatagramChannel.open()) {
      silent.bind(new InetSocketAddress("127.0.0.1", 0));
      Endpoint server = Endpoint.of((InetSocketAddress) silent.getLocalAddress());
      StunNatDetector detector = new StunNatDetector(List.of(server), FAST, Runnable::run);
      NatReport report = detector.detect(0).get(5, TimeUnit.SECONDS);
      assertEquals(NatType.UNKNOWN, report.natType());
      assertTrue(report.detail().contains(server + " did not answer"), report.detail());
    }
  }

  @Test
  void theWireGuardPortsMappingIsLearntAndThePortIsFreeAgainAtOnce() throws Exception {
    try (SimulatedNatStunServer server = new SimulatedNatStunServer(MappingBehavior.ENDPOINT_INDEPENDENT,
        FilteringBehavior.ADDRESS_AND_PORT_DEPENDENT, true)) {
      int port = freeUdpPort();
      StunNatDetector detector = new StunNatDetector(List.of(Endpoint.of(server.primary())));
      Endpoint mapped = detector.mapping(port).orElseThrow();
      assertEquals("198.51.100.77", mapped.host(), "the server's view of the port");
      assertPortFree(port);
    }
  }

  @Test
  void aSilentServerGivesNoMappingAndStillFreesThePort() throws Exception {
    try (DatagramChannel silent = DatagramChannel.open()) {
      silent.bind(new InetSocketAddress("127.0.0.1", 0));
      int port = freeUdpPort();
      StunNatDetector detector = new StunNatDetector(List.of(Endpoint.of((InetSocketAddress) silent.getLocalAddress())));
      assertTrue(detector.mapping(port).isEmpty());
      assertPortFree(port);
    }
  }

  @Test
  void serversFromASupplierAreAskedAtEachUse() throws Exception {
    try (SimulatedNatStunServer server = new SimulatedNatStunServer(MappingBehavior.ENDPOINT_INDEPENDENT,
        FilteringBehavior.ENDPOINT_INDEPENDENT, true)) {
      AtomicReference<List<Endpoint>> handedOut = new AtomicReference<>(List.of());
      StunNatDetector detector = new StunNatDetector(handedOut::get, FAST, Runnable::run);
      assertEquals(StunNatDetector.NO_SERVER, detector.detect(0).get(5, TimeUnit.SECONDS).detail());
      handedOut.set(List.of(Endpoint.of(server.primary())));
      assertEquals(NatType.FULL_CONE, detector.detect(0).get(5, TimeUnit.SECONDS).natType(),
          "the servers handed out later are used");
    }
  }

  private static int freeUdpPort() throws Exception {
    try (DatagramChannel probe = DatagramChannel.open()) {
      probe.bind(new InetSocketAddress(0));
      return ((InetSocketAddress) probe.getLocalAddress()).getPort();
    }
  }

  /** WireGuard must be able to bind the port right after the mapping query: no socket left open. */
  private static void assertPortFree(int port) throws Exception {
    try (DatagramChannel wireGuard = DatagramChannel.open()) {
      wireGuard.bind(new InetSocketAddress(port));
    }
  }

  @Test
  void theSettingParsesAndRefusesHostNames() {
    assertEquals(List.of(new Endpoint("203.0.113.1", 3478), new Endpoint("2001:db8::1", 3478)),
        StunNatDetector.parseServers(" 203.0.113.1:3478, [2001:db8::1]:3478 "));
    assertEquals(List.of(), StunNatDetector.parseServers(""));
    assertThrows(IllegalArgumentException.class, () -> StunNatDetector.parseServers("stun.example.org:3478"));
  }

  @Test
  void timingTotalsMatchRfc8489() {
    // RFC 8489 section 6.2.1: with RTO 500 ms, Rc 7 and Rm 16 the client gives up after 39.5 s.
    assertEquals(Duration.ofMillis(39_500), StunTiming.RFC_DEFAULT.total());
  }

  @Test
  void classificationTable() {
    assertEquals(NatType.OPEN, NatClassifier.classify(MappingBehavior.NO_NAT, FilteringBehavior.ENDPOINT_INDEPENDENT));
    assertEquals(NatType.PORT_RESTRICTED_CONE,
        NatClassifier.classify(MappingBehavior.NO_NAT, FilteringBehavior.ADDRESS_AND_PORT_DEPENDENT));
    assertEquals(NatType.FULL_CONE,
        NatClassifier.classify(MappingBehavior.ENDPOINT_INDEPENDENT, FilteringBehavior.ENDPOINT_INDEPENDENT));
    assertEquals(NatType.RESTRICTED_CONE,
        NatClassifier.classify(MappingBehavior.ENDPOINT_INDEPENDENT, FilteringBehavior.ADDRESS_DEPENDENT));
    assertEquals(NatType.PORT_RESTRICTED_CONE,
        NatClassifier.classify(MappingBehavior.ENDPOINT_INDEPENDENT, FilteringBehavior.ADDRESS_AND_PORT_DEPENDENT));
    for (FilteringBehavior f : FilteringBehavior.values()) {
      assertEquals(NatType.SYMMETRIC, NatClassifier.classify(MappingBehavior.ADDRESS_DEPENDENT, f));
      assertEquals(NatType.SYMMETRIC, NatClassifier.classify(MappingBehavior.ADDRESS_AND_PORT_DEPENDENT, f));
      assertEquals(NatType.UNKNOWN, NatClassifier.classify(MappingBehavior.UNKNOWN, f));
    }
    assertEquals(NatType.UNKNOWN, NatClassifier.classify(MappingBehavior.ENDPOINT_INDEPENDENT, FilteringBehavior.UNKNOWN));
  }
}
