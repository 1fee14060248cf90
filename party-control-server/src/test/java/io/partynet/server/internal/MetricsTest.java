package io.partynet.server.internal;

import static io.partynet.server.internal.ServerFixture.randomKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Key;
import io.partynet.protocol.internal.Protocol;
import io.partynet.server.internal.http.ServerMetrics;
import io.partynet.server.testing.ControlServerExtension;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics} in Prometheus text format and the health check's database verdict, on the real server. */
class MetricsTest {
  /** A sample line: name, optional labels, a number. */
  private static final Pattern SAMPLE = Pattern.compile("[a-z_]+(\\{[a-z]+=\"[^\"]*\"(,[a-z]+=\"[^\"]*\")*\\})? -?[0-9.]+");

  @TempDir Path dir;
  ServerFixture fx;
  RawApi api;

  @BeforeEach
  void setUp() {
    fx = new ServerFixture(dir);
    api = new RawApi(fx.port);
  }

  @AfterEach
  void tearDown() {
    api.close();
    fx.close();
  }

  @Test
  void requestsLatencyAndGaugesAreExposedWithoutATokenAndByRouteTemplateOnly() {
    Key key = randomKey();
    String token = api.register("alice", key);
    String party = api.createParty(token, "metrics", "alice", key);
    assertEquals(200, api.send("GET", Protocol.party(party), token, null).status());
    assertEquals(404, api.send("GET", "/v1/nothing-here", token, null).status());
    assertEquals(401, api.send("GET", Protocol.ME, "not-a-token", null).status());

    RawApi.Answer answer = api.send("GET", ServerMetrics.PATH, null, null);
    assertEquals(200, answer.status(), answer.body());
    String text = answer.body();
    for (String line : text.split("\n")) {
      assertTrue(line.startsWith("# HELP ") || line.startsWith("# TYPE ") || SAMPLE.matcher(line).matches(),
          "not Prometheus text format: " + line);
    }
    assertTrue(text.contains("partynet_requests_total{route=\"/v1/peers\",method=\"POST\",status=\"201\"} 1"), text);
    assertTrue(text.contains("partynet_requests_total{route=\"/v1/parties/{party}\",method=\"GET\",status=\"200\"} 1"), text);
    assertTrue(text.contains("partynet_requests_total{route=\"unrouted\",method=\"GET\",status=\"401\"} 1"), text);
    assertTrue(text.contains("partynet_requests_total{route=\"unrouted\",method=\"GET\",status=\"404\"} 1"), text);
    assertTrue(text.contains("partynet_request_duration_seconds_bucket{route=\"/v1/parties\",le=\"+Inf\"} 1"), text);
    assertTrue(text.contains("\npartynet_parties 1\n") && text.contains("\npartynet_members 1\n"), text);
    assertTrue(text.contains("\npartynet_event_streams 0\n"), text);
    assertTrue(!text.contains(party), "ids never become labels");
    assertEquals(ControlServerExtension.postgresStore(), text.contains("partynet_db_pool_max "), text);
  }

  @Test
  void healthSaysTheDatabaseAnswers() {
    RawApi.Answer health = api.send("GET", Protocol.HEALTH, null, null);
    assertEquals(200, health.status(), health.body());
    assertTrue(health.body().contains("\"database\":\"ok\""), health.body());
  }
}
