package io.partynet.server.internal;

import static io.partynet.server.internal.ServerFixture.randomKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.protocol.internal.ErrorBody;
import io.partynet.protocol.internal.Protocol;
import io.partynet.protocol.internal.ProtocolJson;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Abuse suite, issue 16 item 15: whatever refuses a request (a route, Javalin, Jetty's parser),
 * the answer is the protocol's JSON error, and a known path with the wrong method is 405.
 */
class ErrorAnswerAbuseTest {
  private static final String BIG_HEADER = "X-Filler: " + "a".repeat(20_000) + "\r\n";
  private static ServerFixture fx;
  private static String token;

  @BeforeAll
  static void start() throws Exception {
    fx = new ServerFixture(Files.createTempDirectory("partynet-errors"));
    RawApi api = new RawApi(fx.port);
    token = api.register("asker", randomKey());
    api.close();
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "malformed request line | 400 | GARBAGE\\r\\n\\r\\n",
      "undecodable path       | 400 | GET /v1/%zz HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n",
      "unknown version        | 505 | GET /v1/health HTTP/7.1\\r\\nHost: x\\r\\n\\r\\n",
      "oversized header       | 431 | GET /v1/health HTTP/1.1\\r\\nHost: x\\r\\n" + "BIG" + "\\r\\n",
      "unknown path           | 404 | GET /v1/nothing HTTP/1.1\\r\\nHost: x\\r\\nAuthorization: TOKEN\\r\\n\\r\\n",
      "wrong method on health | 405 | DELETE /v1/health HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n",
      "wrong method on party  | 405 | PATCH /v1/parties/7KQ2M9XD4RTX HTTP/1.1\\r\\nHost: x\\r\\nAuthorization: TOKEN\\r\\nContent-Length: 0\\r\\n\\r\\n",
      "wrong method on peers  | 405 | PUT /v1/peers HTTP/1.1\\r\\nHost: x\\r\\nAuthorization: TOKEN\\r\\nContent-Length: 0\\r\\n\\r\\n",
  })
  void everyRefusalIsAJsonError(String what, int status, String request) throws Exception {
    String wire = request.replace("\\r\\n", "\r\n").replace("BIG", BIG_HEADER)
        .replace("TOKEN", Protocol.BEARER + token);
    try (RawHttp client = new RawHttp("127.0.0.1", fx.port)) {
      String answer = client.send(wire).read(5000);
      assertEquals(status, RawHttp.status(answer), what + ": " + answer);
      assertTrue(answer.toLowerCase().contains("content-type: application/json"), what + ": " + answer);
      ErrorBody error = ProtocolJson.lenient().readValue(RawHttp.body(answer), ErrorBody.class);
      assertTrue(!error.code().isEmpty() && !error.message().isEmpty(), what + ": " + answer);
    }
  }
}
