package io.partynet.remote.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.partynet.remote.internal.RestTransport.Call;
import io.partynet.spi.Backoff;
import io.partynet.testing.Eventually;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Connection;
import okhttp3.EventListener;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A non-idempotent call meets a kept-alive connection the server has closed (what a server restart
 * leaves in the pool): it is sent once, on a new connection, instead of failing. The stub is a raw
 * HTTP/1.1 server that closes its first connection after the first answer; the test waits until
 * the client's pooled socket has seen that close before it sends the POST, so the case is the
 * stale one every time.
 */
class StaleConnectionTest {
  private ServerSocket listener;
  private Thread acceptor;
  /** "connection#: METHOD path", one line per request the stub read. */
  private final List<String> received = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::serve, "stale-connection-stub");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  @AfterEach
  void stop() throws Exception {
    listener.close();
    acceptor.join(10_000);
  }

  @Test
  void aPostIsSentOnceOnANewConnectionWhenThePooledOneWasClosedByTheServer() throws Exception {
    AtomicReference<Socket> pooled = new AtomicReference<>();
    OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(10)).retryOnConnectionFailure(false)
        .eventListener(new EventListener() {
          @Override
          public void connectionAcquired(okhttp3.Call call, Connection connection) {
            pooled.compareAndSet(null, connection.socket());
          }
        }).build();
    RestTransport rest = new RestTransport(http, HttpUrl.get("http://127.0.0.1:" + listener.getLocalPort() + "/"),
        new Backoff(Duration.ofMillis(10), Duration.ofMillis(50), Backoff.Jitter.EQUAL, new Random(7)::nextDouble),
        d -> { }, 4);
    try {
      assertEquals(Map.of(), rest.execute(Call.of("GET", "/v1/first", null, null, true), Map.class));
      Eventually.until(Duration.ofSeconds(20), () -> closedByPeer(pooled.get()),
          "the client's pooled connection sees the server's close");

      assertEquals(Map.of(), rest.execute(Call.of("POST", "/v1/parties", Map.of(), null, false), Map.class));
    } finally {
      rest.close();
    }
    synchronized (received) {
      assertEquals(List.of("1: GET /v1/first", "2: POST /v1/parties"), received,
          "the POST went out once, on a new connection");
    }
  }

  private static boolean closedByPeer(Socket socket) {
    try {
      return StaleConnectionCheck.closedByPeer(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Answers every request {@code 200 {}}; the first connection is closed after its first answer. */
  private void serve() {
    int connections = 0;
    while (!listener.isClosed()) {
      try (Socket s = listener.accept()) {
        connections++;
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
        OutputStream out = s.getOutputStream();
        String line;
        while ((line = in.readLine()) != null) {
          int length = 0;
          for (String header = in.readLine(); header != null && !header.isEmpty(); header = in.readLine()) {
            if (header.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
              length = Integer.parseInt(header.substring(15).trim());
            }
          }
          in.skip(length);
          synchronized (received) {
            received.add(connections + ": " + line.substring(0, line.lastIndexOf(' ')));
          }
          out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
              .getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
          if (connections == 1) {
            break;
          }
        }
      } catch (IOException e) {
        // the listener was closed, or a client went away: the next accept decides
      }
    }
  }
}
