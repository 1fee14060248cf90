package io.partynet.remote.internal;

import io.partynet.spi.Backoff;
import io.partynet.testing.Eventually;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The event stream keeps trying whatever its owner's check before an attempt does. */
class EventStreamTest {
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void anUnexpectedFailureBeforeConnectingIsRetriedNotTheEndOfTheStream() {
    AtomicInteger checks = new AtomicInteger();
    EventStream stream = new EventStream(() -> URI.create("ws://127.0.0.1:9/v1/events"), () -> "token", null,
        Duration.ofSeconds(5), Backoff.withoutJitter(Duration.ofMillis(5), Duration.ofMillis(20)), scheduler,
        new EventStream.Handler() {
          @Override
          public boolean beforeConnect() {
            if (checks.incrementAndGet() <= 2) {
              throw new IllegalStateException("a token file that cannot be read, say");
            }
            return false; // the server is "unreachable": no connection is ever opened
          }

          @Override
          public String helloFrame() {
            return "{}";
          }

          @Override
          public void onText(String text) {
          }

          @Override
          public void onDisconnected(String why) {
          }
        });
    try {
      stream.start();
      Eventually.until(Duration.ofSeconds(30), () -> checks.get() >= 4,
          () -> "checks after two failures: " + checks.get());
    } finally {
      stream.close();
    }
  }
}
