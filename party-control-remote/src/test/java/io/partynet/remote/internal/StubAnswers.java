package io.partynet.remote.internal;

import com.sun.net.httpserver.HttpExchange;
import io.partynet.Key;
import io.partynet.protocol.internal.ChallengeResponse;
import io.partynet.protocol.internal.Protocol;
import io.partynet.protocol.internal.ProtocolJson;
import io.partynet.protocol.internal.RegisterResponse;
import io.partynet.protocol.internal.X25519;
import java.io.IOException;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;

/** The answers of the loopback stubs (the JDK's HTTP server) that play a misbehaving or busy server in tests. */
final class StubAnswers {
  private static final SecureRandom RANDOM = new SecureRandom();

  private StubAnswers() {}

  /** A token of the right form; the stubs accept any. */
  static final String TOKEN = "A".repeat(Protocol.TOKEN_CHARS);

  /**
   * Answers the registration of peer {@code me} (challenge, then register) when {@code exchange}
   * is one of its two requests: a stub does not check the proof.
   *
   * @return whether it answered
   */
  static boolean registration(HttpExchange exchange, String me) throws IOException {
    String path = exchange.getRequestURI().getPath();
    if (path.equals(Protocol.CHALLENGE)) {
      byte[] serverKey = new byte[32];
      RANDOM.nextBytes(serverKey);
      json(exchange, 200, ProtocolJson.write(new ChallengeResponse("n".repeat(54),
          X25519.publicKey(Key.fromBytes(serverKey)).toBase64())));
      return true;
    }
    if (path.equals(Protocol.PEERS)) {
      json(exchange, 201, ProtocolJson.write(new RegisterResponse(me, TOKEN)));
      return true;
    }
    return false;
  }

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
