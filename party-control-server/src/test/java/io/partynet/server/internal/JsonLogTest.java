package io.partynet.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.partynet.testing.Eventually;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --log-format json}: the real server (child JVM) writes one JSON object per line, fields included. */
class JsonLogTest {
  @TempDir Path dir;

  @Test
  void everyLineIsAJsonObjectWithTimeLevelLoggerMessageAndTheEventsFields() throws Exception {
    try (ServerProcess server = new ServerProcess(dir, "--log-format", "json").launch()) {
      Eventually.until(Duration.ofSeconds(60), () -> server.logText().contains("control plane server started"),
          () -> "start; log:\n" + server.logText());
      assertEquals(0, server.terminate(), server.logText());
      ObjectMapper mapper = new ObjectMapper();
      boolean sawStart = false;
      for (String line : server.logText().split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode event = mapper.readTree(line);
        assertTrue(event.isObject(), line);
        Instant.parse(event.get("time").asText());
        assertTrue(event.hasNonNull("level") && event.hasNonNull("logger") && event.hasNonNull("message"), line);
        assertFalse(event.get("logger").asText().startsWith("org.eclipse.jetty") && event.get("level").asText().equals("INFO"),
            "Jetty's INFO chatter is left out: " + line);
        if (event.get("message").asText().equals("control plane server started")) {
          sawStart = true;
          assertTrue(event.get("port").asInt() > 0, line);
          assertTrue(event.get("store").asText().startsWith("sqlite:"), line);
          assertFalse(event.get("tls").asBoolean(), line);
        }
      }
      assertTrue(sawStart, server.logText());
    }
  }
}
