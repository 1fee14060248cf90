package io.partynet.core.internal.nat.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Endpoint;
import io.partynet.NatType;
import io.partynet.spi.NatReport;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Discovery against a server that simulates each mapping and filtering behaviour, including the
 * address-dependent ones no lab router recipe produces.
 */
class BehaviorDiscoveryTest {
  private static final StunTiming FAST = new StunTiming(Duration.ofMillis(20), 3, 3);

  @ParameterizedTest
  @CsvSource({
      "ENDPOINT_INDEPENDENT, ENDPOINT_INDEPENDENT, FULL_CONE",
      "ENDPOINT_INDEPENDENT, ADDRESS_DEPENDENT, RESTRICTED_CONE",
      "ENDPOINT_INDEPENDENT, ADDRESS_AND_PORT_DEPENDENT, PORT_RESTRICTED_CONE",
      "ADDRESS_DEPENDENT, ADDRESS_AND_PORT_DEPENDENT, SYMMETRIC",
      "ADDRESS_AND_PORT_DEPENDENT, ADDRESS_AND_PORT_DEPENDENT, SYMMETRIC",
      "ADDRESS_AND_PORT_DEPENDENT, ENDPOINT_INDEPENDENT, SYMMETRIC",
      "NO_NAT, ENDPOINT_INDEPENDENT, OPEN",
      "NO_NAT, ADDRESS_AND_PORT_DEPENDENT, PORT_RESTRICTED_CONE",
  })
  void measuresAndClassifies(MappingBehavior mapping, FilteringBehavior filtering, NatType expected) throws Exception {
    try (SimulatedNatStunServer server = new SimulatedNatStunServer(mapping, filtering, true);
        DatagramChannel channel = DatagramChannel.open()) {
      channel.bind(new InetSocketAddress("127.0.0.1", 0));
      DiscoveryResult result = new BehaviorDiscovery(channel, FAST).run(server.primary()).orElseThrow();
      assertEquals(mapping, result.mapping(), result.describe());
      assertEquals(filtering, result.filtering(), result.describe());
      assertEquals(expected, result.natType());
    }
  }

  @Test
  void aServerWithoutRfc5780SupportGivesTheMappingButUnknownType() throws Exception {
    try (SimulatedNatStunServer server = new SimulatedNatStunServer(
            MappingBehavior.ENDPOINT_INDEPENDENT, FilteringBehavior.ENDPOINT_INDEPENDENT, false)) {
      StunNatDetector detector = new StunNatDetector(List.of(Endpoint.of(server.primary())), FAST, Runnable::run);
      NatReport report = detector.detect(0).get(5, TimeUnit.SECONDS);
      assertEquals(NatType.UNKNOWN, report.natType());
      assertEquals(new Endpoint("198.51.100.77", 40000), report.mappedEndpoint());
      assertTrue(report.detail().contains("does not support RFC 5780"), report.detail());
    }
  }

  @Test
  void detectsThroughAChannelItDoesNotOwnAndLeavesItUsable() throws Exception {
    try (SimulatedNatStunServer server = new SimulatedNatStunServer(
            MappingBehavior.ENDPOINT_INDEPENDENT, FilteringBehavior.ADDRESS_AND_PORT_DEPENDENT, true);
        DatagramChannel wireGuardSocket = DatagramChannel.open()) {
      wireGuardSocket.bind(new InetSocketAddress("127.0.0.1", 0));
      StunNatDetector detector = new StunNatDetector(List.of(Endpoint.of(server.primary())), FAST, Runnable::run);
      NatReport report = detector.detect(wireGuardSocket);
      assertEquals(NatType.PORT_RESTRICTED_CONE, report.natType(), report.detail());
      assertTrue(wireGuardSocket.isOpen() && wireGuardSocket.isBlocking(), "the owner's socket is left as it was");
    }
  }
}
