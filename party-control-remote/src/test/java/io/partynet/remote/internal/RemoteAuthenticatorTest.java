package io.partynet.remote.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import io.partynet.Key;
import io.partynet.PartyException;
import io.partynet.PartyException.Reason;
import io.partynet.protocol.internal.ChallengeResponse;
import io.partynet.protocol.internal.Protocol;
import io.partynet.protocol.internal.ProtocolJson;
import io.partynet.protocol.internal.RegisterResponse;
import io.partynet.protocol.internal.X25519;
import io.partynet.spi.Backoff;
import io.partynet.testing.Eventually;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two calls meet a server that forgot the peer (its database was lost): while the first registers
 * again, the second must wait for the new token, not fail with "not started". The stub holds the
 * second registration's answer until the second call has been refused, so the calls overlap every run.
 */
class RemoteAuthenticatorTest {
  private static final String OLD = "A".repeat(Protocol.TOKEN_CHARS);
  private static final String NEW = "B".repeat(Protocol.TOKEN_CHARS);

  private final ExecutorService callers = Executors.newFixedThreadPool(2);
  private HttpServer stub;

  @AfterEach
  void stop() {
    callers.shutdownNow();
    if (stub != null) {
      stub.stop(0);
    }
  }

  @Test
  void aCallMadeWhileAnotherRegistersAgainWaitsForTheNewToken() throws Exception {
    CountDownLatch registering = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger registrations = new AtomicInteger();
    stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    stub.setExecutor(Executors.newCachedThreadPool());
    stub.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      if (path.equals(Protocol.CHALLENGE)) {
        StubAnswers.json(exchange, 200, ProtocolJson.write(new ChallengeResponse("n".repeat(54),
            X25519.publicKey(randomKey()).toBase64())));
      } else if (path.equals(Protocol.PEERS)) {
        if (registrations.incrementAndGet() == 2) {
          registering.countDown();
          try {
            release.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        StubAnswers.json(exchange, 201, ProtocolJson.write(new RegisterResponse("me", registrations.get() == 1 ? OLD : NEW)));
      } else if (path.equals(Protocol.ME)) {
        StubAnswers.json(exchange, 401, "{\"code\":\"UNAUTHORIZED\",\"message\":\"unknown token\"}");
      } else {
        StubAnswers.json(exchange, 404, "{\"code\":\"INVALID_ARGUMENT\",\"message\":\"no\"}");
      }
    });
    stub.start();
    ServerList servers = new ServerList(List.of(URI.create("http://127.0.0.1:" + stub.getAddress().getPort())));
    RestTransport rest = new RestTransport(new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(30)).build(), servers,
        Backoff.withoutJitter(Duration.ofMillis(10), Duration.ofMillis(50)), Sleeper.SYSTEM, 3);
    Key privateKey = randomKey();
    Key publicKey = X25519.publicKey(privateKey);
    RemoteAuthenticator auth = new RemoteAuthenticator(rest, servers, TokenStore.inMemory(), key -> privateKey);
    auth.identity("me", publicKey);
    auth.authenticate(true);
    assertEquals(OLD, auth.token());

    AtomicInteger refused = new AtomicInteger();
    RemoteAuthenticator.AuthedCall<String> call = token -> {
      if (!token.equals(NEW)) {
        refused.incrementAndGet();
        throw PartyException.of(Reason.UNAUTHORIZED, "unknown token");
      }
      return token;
    };
    CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> auth.authed(call), callers);
    registering.await(60, TimeUnit.SECONDS);
    CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> auth.authed(call), callers);
    Eventually.until(Duration.ofSeconds(60), () -> refused.get() >= 2 || second.isDone(),
        "the second call refused (or finished)");
    release.countDown();

    assertEquals(NEW, first.get(60, TimeUnit.SECONDS));
    assertEquals(NEW, second.get(60, TimeUnit.SECONDS), "the second call waited for the new token");
    assertEquals(2, registrations.get(), "registered again once");
  }

  private static Key randomKey() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Key.fromBytes(bytes);
  }
}
