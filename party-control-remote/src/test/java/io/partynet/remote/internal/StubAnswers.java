package io.partynet.remote.internal;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The answers of the loopback stubs (the JDK's HTTP server) that play a misbehaving or busy server in tests. */
final class StubAnswers {
  private StubAnswers() {}

  /** Sends {@code status} with {@code body} as JSON (no body when it is empty) and ends the exchange. */
  static void json(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }
}
