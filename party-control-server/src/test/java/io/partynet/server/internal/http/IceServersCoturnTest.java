package io.partynet.server.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Endpoint;
import io.partynet.core.internal.nat.discovery.StunTiming;
import io.partynet.core.internal.nat.turn.TurnAllocation;
import io.partynet.core.internal.nat.turn.TurnClient;
import io.partynet.core.internal.nat.turn.TurnCredentials;
import io.partynet.core.internal.nat.turn.TurnException;
import io.partynet.testing.Eventually;
import io.partynet.protocol.internal.IceServersResponse;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The credentials of {@link IceServers} against a real coturn running with {@code use-auth-secret}
 * on loopback (a random port, no namespaces): party-core's TURN client allocates with a fresh one,
 * and coturn refuses one whose expiry has passed. Skipped where {@code turnserver} is not installed.
 */
class IceServersCoturnTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  /**
   * Retransmissions for 15.8 s per transaction: on loopback coturn answers the first request at
   * once, but on a loaded machine the 4.7 s this once allowed ran out (seen once in a full build).
   */
  private static final StunTiming PATIENT = new StunTiming(Duration.ofMillis(200), 7, 16);
  @TempDir Path dir;
  private final byte[] secret = HexFormat.of().formatHex(randomBytes()).getBytes(StandardCharsets.US_ASCII);
  private Process coturn;
  private int port;

  @BeforeEach
  void startCoturn() throws Exception {
    Assumptions.assumeTrue(onPath("turnserver"), "needs coturn's turnserver on the PATH");
    Assumptions.assumeTrue(onPath("ss"), "needs ss to see coturn bind");
    port = freeUdpPort();
    // The secret goes in a config file, never on the command line (ps shows command lines).
    Path config = Files.writeString(dir.resolve("turnserver.conf"),
        "static-auth-secret=" + new String(secret, StandardCharsets.US_ASCII) + "\n");
    coturn = new ProcessBuilder("turnserver", "-c", config.toString(),
        "--listening-ip", "127.0.0.1", "--relay-ip", "127.0.0.1", "--listening-port", Integer.toString(port),
        "--use-auth-secret", "--realm", "partynet.test", "--fingerprint",
        "--userdb", dir.resolve("turndb").toString(), "--pidfile", dir.resolve("turnserver.pid").toString(),
        "--min-port", "49152", "--max-port", "65535",
        "--no-tls", "--no-dtls", "--no-cli", "--log-file", "stdout")
        .redirectErrorStream(true).redirectOutput(dir.resolve("coturn.log").toFile()).start();
    Eventually.until(WAIT, () -> {
      if (!coturn.isAlive()) {
        throw new AssertionError("turnserver exited: " + log());
      }
      return listening();
    }, () -> "coturn to bind 127.0.0.1:" + port + "; its log:\n" + log());
  }

  @AfterEach
  void stopCoturn() throws Exception {
    if (coturn != null) {
      coturn.destroy();
      if (!coturn.waitFor(5, TimeUnit.SECONDS)) {
        coturn.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aFreshCredentialAllocatesAndAnExpiredOneIsRefused() throws Exception {
    IceServers servers = new IceServers(List.of(), List.of("127.0.0.1:" + port), secret, Duration.ofMinutes(10));

    IceServersResponse.TurnServer fresh = servers.issue("p-alice", Clock.systemUTC()).turn().get(0);
    try (TurnClient client = client(fresh)) {
      TurnAllocation allocation = client.allocate().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertNotNull(allocation.relayed());
      assertEquals(InetAddress.getLoopbackAddress(), allocation.relayed().getAddress());
    }

    // Issued eleven minutes ago with a ten-minute lifetime: its expiry passed a minute ago.
    Clock past = Clock.fixed(Instant.now().minus(Duration.ofMinutes(11)), ZoneOffset.UTC);
    IceServersResponse.TurnServer expired = servers.issue("p-alice", past).turn().get(0);
    try (TurnClient client = client(expired)) {
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> client.allocate().get(WAIT.toSeconds(), TimeUnit.SECONDS));
      TurnException refusal = assertInstanceOfTurn(e.getCause());
      assertEquals(TurnException.Reason.UNAUTHORIZED, refusal.reason(), refusal.getMessage());
    }
  }

  @Test
  void aCredentialDerivedFromAnotherSecretIsRefused() throws Exception {
    IceServers wrong = new IceServers(List.of(), List.of("127.0.0.1:" + port),
        "not-the-secret".getBytes(StandardCharsets.US_ASCII), Duration.ofMinutes(10));
    try (TurnClient client = client(wrong.issue("p-mallory", Clock.systemUTC()).turn().get(0))) {
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> client.allocate().get(WAIT.toSeconds(), TimeUnit.SECONDS));
      assertEquals(TurnException.Reason.UNAUTHORIZED, assertInstanceOfTurn(e.getCause()).reason());
    }
  }

  private TurnClient client(IceServersResponse.TurnServer turn) throws IOException {
    return TurnClient.builder(Endpoint.parse(turn.address()), new TurnCredentials(turn.username(), turn.password()))
        .timing(PATIENT).build();
  }

  private static TurnException assertInstanceOfTurn(Throwable t) {
    assertTrue(t instanceof TurnException, "a TurnException: " + t);
    return (TurnException) t;
  }

  private boolean listening() {
    try {
      Process ss = new ProcessBuilder("ss", "-ulnH").redirectErrorStream(true).start();
      String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      ss.waitFor(5, TimeUnit.SECONDS);
      return out.contains("127.0.0.1:" + port + " ");
    } catch (IOException | InterruptedException e) {
      throw new AssertionError("cannot run ss", e);
    }
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("coturn.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static int freeUdpPort() throws IOException {
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[16];
    ThreadLocalRandom.current().nextBytes(b);
    return b;
  }

  private static boolean onPath(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return false;
  }
}
