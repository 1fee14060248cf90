package io.partynet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.ControlPlaneState;
import io.partynet.ControlPlaneUnavailableException;
import io.partynet.Endpoint;
import io.partynet.Key;
import io.partynet.NatType;
import io.partynet.Party;
import io.partynet.PartyConfig;
import io.partynet.PartyManager;
import io.partynet.PartyStatus;
import io.partynet.server.testing.ControlServerExtension;
import io.partynet.spi.NatDetector;
import io.partynet.spi.NatReport;
import io.partynet.testing.Eventually;
import io.partynet.testing.FakeNetworkBackend;
import io.partynet.testing.PartyEventRecorder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 16 items 1, 2, 3 and 9 against a real control plane server on loopback, through the
 * public builder and the real factory (the remote and the local provider both on the class path):
 * a member whose server is down at start keeps its party, brings its interface and known members
 * up at once, reports RECONNECTING and resumes when the server returns, published where it is now;
 * a member without a party cannot create against a dead, hung or garbage server unless it asked for
 * the local fallback; a resumed member answers {@code status} at once while NAT detection runs.
 */
class ControlPlaneOutageTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration FAST_HEARTBEAT = Duration.ofMillis(300);

  @TempDir Path dir;
  private final ControlServerExtension server = ControlServerExtension.on(Clock.systemUTC());
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    server.close();
  }

  private PartyConfig remote(String name, URI serverUri) {
    return PartyConfig.builder().home(dir.resolve(name)).peerName(name).controlMode("remote").controlServer(serverUri)
        .discoveryFile(dir.resolve("discovery.json")).interfaceName("pn-" + name).heartbeatInterval(FAST_HEARTBEAT)
        .persistBatchDelay(Duration.ofMillis(20)).requestTimeout(Duration.ofSeconds(2)).build();
  }

  private record Member(PartyManager manager, FakeNetworkBackend backend, PartyEventRecorder events) {}

  private Member start(PartyConfig config, NatDetector detector) {
    FakeNetworkBackend backend = new FakeNetworkBackend("fake");
    PartyEventRecorder events = new PartyEventRecorder();
    PartyManager manager = PartyManager.builder().config(config).networkBackend(backend).natDetector(detector)
        .listener(events).build();
    toClose.add(manager);
    return new Member(manager, backend, events);
  }

  private static NatDetector at(NatType nat, String publicAddress) {
    return port -> CompletableFuture.completedFuture(
        new NatReport(nat, new Endpoint(publicAddress, port == 0 ? 40123 : port), "test mapping"));
  }

  private static <T> T get(CompletableFuture<T> future) throws Exception {
    return future.get(10, TimeUnit.SECONDS);
  }

  @ParameterizedTest(name = "control.fallback-to-local={0}")
  @ValueSource(booleans = {false, true})
  void aPersistedPartyOutlivesAServerOutageAtStartAndIsResumedWhereTheMemberIsNow(boolean fallback)
      throws Exception {
    URI uri = server.uri();
    Member alice = start(remote("alice", uri), at(NatType.FULL_CONE, "203.0.113.10"));
    PartyConfig bobConfig = remote("bob", uri).toBuilder().controlFallbackToLocal(fallback).build();
    Member bob = start(bobConfig, at(NatType.FULL_CONE, "198.51.100.20"));
    Party party = get(alice.manager().create("lan"));
    get(bob.manager().join(party.id(), "bob"));
    alice.events().await("peerJoined bob", WAIT);
    String bobId = bob.manager().myPeerId();
    String bobIp = party(party.id()).peers().stream().filter(p -> p.id().equals(bobId)).findFirst().orElseThrow()
        .virtualIp();
    Key aliceKey = Key.fromBase64(alice.manager().currentParty().orElseThrow().peers()
        .get(alice.manager().myPeerId()).publicKey());
    bob.manager().close();
    toClose.remove(bob.manager());

    server.stop();
    // Bob comes back on another network (a café) while the server is down.
    Member cafeBob = start(bobConfig, at(NatType.PORT_RESTRICTED_CONE, "192.0.2.77"));

    assertEquals(party.id(), cafeBob.manager().currentParty().orElseThrow().id(), "the party is kept");
    assertEquals(ControlPlaneState.RECONNECTING, cafeBob.manager().controlPlaneState());
    cafeBob.events().await("controlPlaneState RECONNECTING", WAIT);
    assertTrue(cafeBob.backend().isUp(), "the interface is up from the persisted state when build() returns");
    assertEquals(bobIp + "/16", cafeBob.backend().interfaceConfig().address().toString());
    assertTrue(cafeBob.backend().peers().containsKey(aliceKey), "alice is a WireGuard peer before the server answers");
    PartyStatus offline = get(cafeBob.manager().status());
    assertEquals("remote", offline.controlPlane(), "never moved to the local plane");
    assertTrue(cafeBob.manager().currentParty().isPresent(), "failed reconnects (one per heartbeat) never drop it");
    assertTrue(Files.readString(bobConfig.stateFile()).contains(party.id()), "still persisted");

    server.restart();
    cafeBob.events().await("controlPlaneState CONNECTED", WAIT);
    cafeBob.events().await("partyJoined " + party.id(), WAIT);
    Endpoint cafe = new Endpoint("192.0.2.77", cafeBob.backend().interfaceConfig().listenPort());
    Eventually.until(WAIT, () -> party(party.id()).peers().stream().anyMatch(p -> p.id().equals(bobId)
        && cafe.equals(p.endpoint()) && p.natType() == NatType.PORT_RESTRICTED_CONE),
        () -> "the server holds bob's new endpoint and NAT type: " + party(party.id()).peers());
    Key bobKey = Key.fromBase64(cafeBob.manager().currentParty().orElseThrow().peers().get(bobId).publicKey());
    Eventually.until(WAIT, () -> cafe.equals(alice.backend().peers().get(bobKey).endpoint()),
        () -> "alice dials bob at the café: " + alice.backend().peers().get(bobKey));
    assertEquals(2, party(party.id()).peers().size());
  }

  private io.partynet.PartyInfo party(String id) {
    return server.server().party(id).orElseThrow(() -> new AssertionError("no party " + id + " on the server"));
  }

  @Test
  void creatingAgainstADeadHungOrGarbageServerFailsWithATypedErrorUnlessFallbackWasAskedFor() throws Exception {
    try (ServerSocket hung = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        ServerSocket garbage = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread answering = new Thread(() -> answerGarbage(garbage), "garbage-server");
      answering.setDaemon(true);
      answering.start();
      List<URI> broken = List.of(deadUri(), loopback(hung.getLocalPort()), loopback(garbage.getLocalPort()));
      for (URI uri : broken) {
        PartyConfig config = remote("carol-" + uri.getPort(), uri);
        ControlPlaneUnavailableException e = assertThrows(ControlPlaneUnavailableException.class,
            () -> start(config, null), "no local party is made quietly for " + uri);
        assertNotNull(e.getMessage());
        assertTrue(e.getMessage().contains("control"), e.getMessage());
      }
      PartyConfig asked = remote("dave", deadUri()).toBuilder().controlFallbackToLocal(true).build();
      Member dave = start(asked, null);
      dave.events().await("controlPlaneChanged local", WAIT);
      get(dave.manager().create("offline"));
      assertEquals("local", get(dave.manager().status()).controlPlane(), "the application asked for local parties");
    }
  }

  /**
   * Issue 16 item 9: right after a restart the interface is up and {@code status} answers from
   * local state, although NAT detection (here a slow STUN server) has not finished.
   */
  @Test
  void aResumedMemberAnswersStatusAtOnceWhileNatDetectionIsSlow() throws Exception {
    URI uri = server.uri();
    Member alice = start(remote("alice", uri), at(NatType.FULL_CONE, "203.0.113.10"));
    PartyConfig bobConfig = remote("bob", uri);
    Member bob = start(bobConfig, at(NatType.FULL_CONE, "198.51.100.20"));
    Party party = get(alice.manager().create("lan"));
    get(bob.manager().join(party.id(), "bob"));
    bob.manager().close();
    toClose.remove(bob.manager());

    CompletableFuture<NatReport> slowStun = new CompletableFuture<>();
    Member again = start(bobConfig, port -> slowStun);
    assertTrue(again.backend().isUp(), "the interface is up when build() returns");
    PartyStatus status = again.manager().status().get(1, TimeUnit.SECONDS);
    assertEquals(2, status.peers().size());
    slowStun.complete(new NatReport(NatType.FULL_CONE, new Endpoint("198.51.100.20", 51820), "slow"));
    again.events().await("partyJoined " + party.id(), WAIT);
  }

  private static URI loopback(int port) {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** A loopback port nobody listens on: connections are refused. */
  private static URI deadUri() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return loopback(socket.getLocalPort());
    }
  }

  /** Answers every connection with a 200 whose body is not the protocol (a captive portal, a wrong URL). */
  private static void answerGarbage(ServerSocket socket) {
    while (!socket.isClosed()) {
      try (Socket client = socket.accept()) {
        client.setSoTimeout(2000);
        client.getInputStream().read(new byte[8192]);
        OutputStream out = client.getOutputStream();
        byte[] body = "<html>\u0000\u00ffnot the PartyNet protocol".getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: " + body.length
            + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
      } catch (IOException e) {
        // the next connection
      }
    }
  }
}
