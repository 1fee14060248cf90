package io.partynet.core.internal.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Endpoint;
import io.partynet.NatType;
import io.partynet.PartyConfig;
import io.partynet.PartyException;
import java.nio.file.Path;
import io.partynet.spi.NatDetector;
import io.partynet.spi.NatReport;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class LocalEndpointTest {
  private static final Endpoint MAPPED = Endpoint.parse("203.0.113.10:51820");
  private final List<Integer> detectedPorts = new ArrayList<>();

  private NatDetector detector(NatType type, Endpoint mapped) {
    return port -> {
      detectedPorts.add(port);
      return CompletableFuture.completedFuture(new NatReport(type, mapped, "test"));
    };
  }

  private static PartyConfig config(int listenPort, String advertise) {
    PartyConfig.Builder b = PartyConfig.builder().home(Path.of("/nonexistent-home-alice")).peerName("alice").listenPort(listenPort);
    if (advertise != null) {
      b.setting("network.advertise-address", advertise);
    }
    return b.build();
  }

  @Test
  void theStunMappingOfTheWireGuardPortIsTheEndpoint() {
    LocalEndpoint local = new LocalEndpoint(config(51820, "192.168.1.20"), detector(NatType.FULL_CONE, MAPPED), false);
    local.detect(false);
    assertEquals(List.of(51820), detectedPorts, "detected from the port WireGuard will listen on");
    assertEquals(NatType.FULL_CONE, local.natType());
    assertEquals(MAPPED, local.endpoint(), "the mapping wins over the advertise address");
  }

  @Test
  void withoutAMappingTheAdvertiseAddressStandsIn() {
    LocalEndpoint local = new LocalEndpoint(config(51820, " 192.168.1.20 "), null, false);
    local.detect(false);
    assertEquals(NatType.UNKNOWN, local.natType());
    assertEquals(Endpoint.parse("192.168.1.20:51820"), local.endpoint());
  }

  @Test
  void aFailingDetectorMeansUnknownAndNoEndpoint() {
    LocalEndpoint local = new LocalEndpoint(config(51820, null),
        port -> CompletableFuture.failedFuture(new IOException("no STUN server answered")), false);
    local.detect(false);
    assertEquals(NatType.UNKNOWN, local.natType());
    assertNull(local.endpoint());
  }

  @Test
  void withTheNetworkOffNothingIsAdvertised() {
    LocalEndpoint local = new LocalEndpoint(config(51820, "192.168.1.20"), detector(NatType.OPEN, MAPPED), true);
    local.detect(false);
    assertEquals(List.of(0), detectedPorts, "no WireGuard port to map");
    assertEquals(NatType.OPEN, local.natType());
    assertNull(local.endpoint());
    assertFalse(local.listening(40000));
  }

  @Test
  void aListenPortChosenByTheSystemCompletesTheAdvertisedEndpointOnce() {
    LocalEndpoint local = new LocalEndpoint(config(0, "127.0.0.1"), null, false);
    local.detect(false);
    assertNull(local.endpoint(), "the port is not known before the interface is up");
    assertTrue(local.listening(40000));
    assertEquals(Endpoint.parse("127.0.0.1:40000"), local.endpoint());
    assertFalse(local.listening(40001), "a known endpoint stays");
  }

  @Test
  void onlyANewPortOnTheSameAddressIsARebinding() {
    LocalEndpoint local = new LocalEndpoint(config(51820, null), detector(NatType.PORT_RESTRICTED_CONE, MAPPED), false);
    local.detect(false);
    assertFalse(local.adoptObserved(MAPPED), "the same endpoint");
    assertFalse(local.adoptObserved(Endpoint.parse("198.51.100.1:40001")), "another address is another path");
    assertTrue(local.adoptObserved(Endpoint.parse("203.0.113.10:40001")));
    assertEquals(Endpoint.parse("203.0.113.10:40001"), local.endpoint());
  }

  @Test
  void aSymmetricNatShowsEveryMemberAnotherPortAndIsNotAdopted() {
    LocalEndpoint local = new LocalEndpoint(config(51820, null), detector(NatType.SYMMETRIC, MAPPED), false);
    local.detect(false);
    assertFalse(local.adoptObserved(Endpoint.parse("203.0.113.10:40001")));
    assertEquals(MAPPED, local.endpoint());
  }

  @Test
  void aSlowDetectorDoesNotHoldUpTheJoinAndItsAnswerArrivesThroughTheWorker() {
    CompletableFuture<NatReport> slow = new CompletableFuture<>();
    List<Runnable> worker = new ArrayList<>();
    List<String> learnt = new ArrayList<>();
    LocalEndpoint local = new LocalEndpoint(config(51820, null), port -> slow, false, Clock.systemUTC(),
        (what, work) -> worker.add(work));
    local.whenLearned(() -> learnt.add(local.natType() + " " + local.endpoint()));
    local.detect(false);
    assertEquals(NatType.UNKNOWN, local.natType(), "the join goes on without the answer");
    assertNull(local.endpoint());

    slow.complete(new NatReport(NatType.FULL_CONE, MAPPED, "late"));
    assertEquals(NatType.UNKNOWN, local.natType(), "applied on the worker only");
    worker.forEach(Runnable::run);
    assertEquals(NatType.FULL_CONE, local.natType());
    assertEquals(List.of("FULL_CONE " + MAPPED), learnt);
  }

  @Test
  void aLateAnswerForAnEarlierJoinIsDropped() {
    List<CompletableFuture<NatReport>> pending = new ArrayList<>();
    List<Runnable> worker = new ArrayList<>();
    LocalEndpoint local = new LocalEndpoint(config(51820, null), port -> {
      CompletableFuture<NatReport> f = new CompletableFuture<>();
      pending.add(f);
      return f;
    }, false, Clock.systemUTC(), (what, work) -> worker.add(work));
    List<String> learnt = new ArrayList<>();
    local.whenLearned(() -> learnt.add(local.natType().name()));
    local.detect(false);
    local.detect(false);
    pending.get(0).complete(new NatReport(NatType.SYMMETRIC, MAPPED, "from the network we left"));
    worker.forEach(Runnable::run);
    assertEquals(NatType.UNKNOWN, local.natType());
    assertEquals(List.of(), learnt);
  }

  @Test
  void withTheInterfaceUpDetectionRunsFromAPortOfItsOwnAndPairsTheAddressWithWireGuardsPort() {
    LocalEndpoint local = new LocalEndpoint(config(0, "192.168.1.20"), detector(NatType.FULL_CONE, MAPPED), false);
    local.listening(40000);
    local.detect(true);
    assertEquals(List.of(0), detectedPorts, "WireGuard holds its port: detection must not bind it");
    assertEquals(NatType.FULL_CONE, local.natType());
    assertEquals(Endpoint.parse("203.0.113.10:40000"), local.endpoint(), "the mapped address with WireGuard's port");
  }

  @Test
  void withTheInterfaceUpAndNoMappingTheAdvertiseAddressTakesWireGuardsPort() {
    LocalEndpoint local = new LocalEndpoint(config(0, "192.168.1.20"), null, false);
    local.listening(40000);
    local.detect(true);
    assertEquals(Endpoint.parse("192.168.1.20:40000"), local.endpoint());
  }

  @Test
  void aSlowDetectorOnAResumeIsAppliedLaterWithWireGuardsPort() {
    CompletableFuture<NatReport> slow = new CompletableFuture<>();
    List<Runnable> worker = new ArrayList<>();
    LocalEndpoint local = new LocalEndpoint(config(51820, null), port -> slow, false, Clock.systemUTC(),
        (what, work) -> worker.add(work));
    List<String> learnt = new ArrayList<>();
    local.whenLearned(() -> learnt.add(local.natType() + " " + local.endpoint()));
    local.listening(51820);
    local.detect(true);
    assertEquals(NatType.UNKNOWN, local.natType(), "the rejoin goes on without the answer");

    slow.complete(new NatReport(NatType.PORT_RESTRICTED_CONE, Endpoint.parse("203.0.113.10:40123"), "late"));
    worker.forEach(Runnable::run);
    assertEquals(List.of("PORT_RESTRICTED_CONE 203.0.113.10:51820"), learnt);
  }

  @Test
  void aMalformedAdvertiseAddressIsRejectedNamingTheSetting() {
    PartyException e = assertThrows(PartyException.class,
        () -> new LocalEndpoint(config(51820, "lan-host"), null, false));
    assertEquals(PartyException.Reason.INVALID_ARGUMENT, e.reason());
    assertTrue(e.getMessage().contains("network.advertise-address"), e.getMessage());
  }
}
