package io.partynet.remote.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.partynet.ControlPlaneUnavailableException;
import io.partynet.PartyException;
import io.partynet.PartyNotFoundException;
import io.partynet.protocol.internal.ErrorBody;
import io.partynet.remote.internal.RestTransport.Call;
import io.partynet.spi.Backoff;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retry behaviour against a scripted loopback HTTP stub (the JDK's server is fine for a test
 * double; the real server is exercised by party-control-server's tests).
 */
class RestTransportTest {
  private HttpServer stub;
  private final Deque<int[]> script = new ArrayDeque<>();
  private final Deque<String> bodies = new ArrayDeque<>();
  private final Deque<Map<String, String>> headers = new ArrayDeque<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final List<Duration> sleeps = new ArrayList<>();
  private final Sleeper recordingSleeper = d -> {
    synchronized (sleeps) {
      sleeps.add(d);
    }
  };

  @BeforeEach
  void start() throws IOException {
    stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    stub.createContext("/", exchange -> {
      requests.incrementAndGet();
      int status;
      String body;
      Map<String, String> extra;
      synchronized (script) {
        status = script.isEmpty() ? 500 : script.poll()[0];
        body = bodies.isEmpty() ? "" : bodies.poll();
        extra = headers.isEmpty() ? Map.of() : headers.poll();
      }
      exchange.getRequestBody().readAllBytes();
      extra.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, status == 204 || bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0 && status != 204) {
        exchange.getResponseBody().write(bytes);
      }
      exchange.close();
    });
    stub.start();
  }

  @AfterEach
  void stop() {
    stub.stop(0);
  }

  private void answer(int status, String body, Map<String, String> extra) {
    synchronized (script) {
      script.add(new int[] {status});
      bodies.add(body);
      headers.add(extra);
    }
  }

  private RestTransport transport(int port, int attempts) {
    OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(5)).retryOnConnectionFailure(false).build();
    return new RestTransport(http, HttpUrl.get("http://127.0.0.1:" + port + "/"),
        new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), Backoff.Jitter.EQUAL, new Random(7)::nextDouble), recordingSleeper, attempts);
  }

  private RestTransport transport() {
    return transport(stub.getAddress().getPort(), 4);
  }

  @Test
  void idempotentCallIsRetriedOn503WithGrowingBackoff() {
    answer(503, "", Map.of());
    answer(503, "", Map.of());
    answer(200, "{\"code\":\"X\",\"message\":\"ok\"}", Map.of());
    ErrorBody body = transport().execute(Call.of("GET", "/v1/thing", null, "t", true), ErrorBody.class);
    assertEquals("ok", body.message());
    assertEquals(3, requests.get());
    assertEquals(2, sleeps.size());
    assertTrue(sleeps.get(0).toMillis() >= 50 && sleeps.get(0).toMillis() <= 100, sleeps.toString());
    assertTrue(sleeps.get(1).toMillis() >= 100 && sleeps.get(1).toMillis() <= 200, sleeps.toString());
  }

  @Test
  void nonIdempotentCallIsNotRetriedOnceItReachedTheServer() {
    answer(503, "", Map.of());
    answer(201, "{}", Map.of());
    PartyException e = assertThrows(PartyException.class,
        () -> transport().execute(Call.of("POST", "/v1/parties", Map.of(), "t", false), ErrorBody.class));
    assertInstanceOf(ControlPlaneUnavailableException.class, e);
    assertEquals(1, requests.get());
    assertTrue(sleeps.isEmpty());
  }

  @Test
  void rateLimitHonoursRetryAfter() {
    answer(429, "{\"code\":\"RATE_LIMITED\",\"message\":\"slow down\"}", Map.of("Retry-After", "1"));
    answer(204, "", Map.of());
    transport().execute(Call.of("POST", "/v1/x/heartbeat", null, "t", true), (Class<?>) null);
    assertEquals(2, requests.get());
    assertEquals(Duration.ofSeconds(1), sleeps.get(0));
  }

  @Test
  void typedErrorsAreNotRetried() {
    answer(404, "{\"code\":\"PARTY_NOT_FOUND\",\"message\":\"gone\"}", Map.of());
    PartyException e = assertThrows(PartyException.class,
        () -> transport().execute(Call.of("GET", "/v1/parties/X", null, "t", true), ErrorBody.class));
    assertInstanceOf(PartyNotFoundException.class, e);
    assertTrue(e.getMessage().contains("gone"));
    assertEquals(1, requests.get());
  }

  @Test
  void retriesStopAfterTheLastAttempt() {
    for (int i = 0; i < 10; i++) {
      answer(502, "", Map.of());
    }
    PartyException e = assertThrows(PartyException.class,
        () -> transport().execute(Call.of("GET", "/v1/parties/X", null, "t", true), ErrorBody.class));
    assertEquals(PartyException.Reason.CONTROL_PLANE_UNAVAILABLE, e.reason());
    assertEquals(4, requests.get());
    assertEquals(3, sleeps.size());
  }

  @Test
  void refusedConnectionsAreRetriedEvenForPostsButOnceLimitsToOneAttempt() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    RestTransport t = transport(closed, 3);
    PartyException e = assertThrows(PartyException.class,
        () -> t.execute(Call.of("POST", "/v1/peers", Map.of(), null, false), ErrorBody.class));
    assertInstanceOf(ControlPlaneUnavailableException.class, e);
    assertEquals(2, sleeps.size(), "a refused connection never carried the request, so it is retried");
    sleeps.clear();
    assertThrows(ControlPlaneUnavailableException.class,
        () -> t.execute(Call.of("POST", "/v1/peers", Map.of(), null, false).once(), ErrorBody.class));
    assertTrue(sleeps.isEmpty(), "once() fails fast");
  }

  @Test
  void unreadableAnswerMeansTheControlPlaneIsUnusable() {
    answer(200, "<html>proxy error</html>", Map.of());
    PartyException e = assertThrows(ControlPlaneUnavailableException.class,
        () -> transport().execute(Call.of("GET", "/v1/x", null, "t", true), ErrorBody.class));
    assertTrue(e.getMessage().contains("control.server-url"), e.getMessage());
  }

  @Test
  void aPostToAServerThatRefusesConnectionsGoesToTheNextServerWhichStaysInUse() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    ServerList servers = new ServerList(List.of(java.net.URI.create("http://127.0.0.1:" + closed),
        java.net.URI.create("http://127.0.0.1:" + stub.getAddress().getPort())));
    OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(5)).retryOnConnectionFailure(false).build();
    RestTransport rest = new RestTransport(http, servers,
        new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), Backoff.Jitter.EQUAL, new Random(7)::nextDouble),
        recordingSleeper, 4);
    answer(204, "", Map.of());
    answer(204, "", Map.of());
    rest.execute(Call.of("POST", "/v1/x", null, null, false).once(), (Class<?>) null);
    assertEquals(1, servers.current(), "moved to the second server");
    rest.execute(Call.of("POST", "/v1/x", null, null, false).once(), (Class<?>) null);
    assertEquals(2, requests.get(), "both calls reached the live server, the second one directly");
    assertEquals(1, sleeps.size(), "one pause, before trying the second server");
  }

  @Test
  void whenEveryServerIsDownAnIdempotentCallTriesEachAndSaysWhichFailedLast() throws IOException {
    int first;
    int second;
    try (ServerSocket s1 = new ServerSocket(0); ServerSocket s2 = new ServerSocket(0)) {
      first = s1.getLocalPort();
      second = s2.getLocalPort();
    }
    ServerList servers = new ServerList(List.of(java.net.URI.create("http://127.0.0.1:" + first),
        java.net.URI.create("http://127.0.0.1:" + second)));
    OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(5)).retryOnConnectionFailure(false).build();
    RestTransport rest = new RestTransport(http, servers,
        new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), Backoff.Jitter.EQUAL, new Random(7)::nextDouble),
        recordingSleeper, 2);
    ControlPlaneUnavailableException e = assertThrows(ControlPlaneUnavailableException.class,
        () -> rest.execute(Call.of("GET", "/v1/x", null, null, true), (Class<?>) null));
    assertEquals(3, sleeps.size() + 1, "at least one attempt more than there are servers");
    assertTrue(e.getMessage().contains("control.server-urls"), e.getMessage());
  }
}
