package io.partynet.remote.internal;

import io.partynet.spi.Backoff;
import io.partynet.testing.Eventually;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The event stream keeps trying whatever its owner's check before an attempt does, and whatever the server does. */
class EventStreamTest {
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  /**
   * A server that takes the TCP connection and never answers the upgrade (stalled): each attempt
   * times out and the next one follows. Before, the timed-out attempt was closed without
   * {@code onClose}, and the stream never tried again.
   */
  @Test
  void aServerThatNeverAnswersTheUpgradeIsTriedAgainAfterEachTimeout() throws IOException {
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger disconnects = new AtomicInteger();
    List<Socket> held = new CopyOnWriteArrayList<>();
    try (ServerSocket stalled = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            held.add(stalled.accept()); // reads nothing, answers nothing
            accepted.incrementAndGet();
          }
        } catch (IOException closed) {
          // the test is over
        }
      }, "stalled-server");
      acceptor.setDaemon(true);
      acceptor.start();
      EventStream stream = new EventStream(() -> URI.create("ws://127.0.0.1:" + stalled.getLocalPort() + "/v1/events"),
          () -> "token", null, Duration.ofMillis(300), Backoff.withoutJitter(Duration.ofMillis(5), Duration.ofMillis(20)),
          scheduler, handler(() -> true, disconnects));
      try {
        stream.start();
        Eventually.until(Duration.ofSeconds(30), () -> accepted.get() >= 3 && disconnects.get() >= 2,
            () -> "attempts " + accepted.get() + ", timed-out attempts reported " + disconnects.get());
      } finally {
        stream.close();
        for (Socket s : held) {
          s.close();
        }
      }
    }
  }

  private static EventStream.Handler handler(java.util.function.BooleanSupplier beforeConnect,
      AtomicInteger disconnects) {
    return new EventStream.Handler() {
      @Override
      public boolean beforeConnect() {
        return beforeConnect.getAsBoolean();
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
        disconnects.incrementAndGet();
      }
    };
  }

  @Test
  void anUnexpectedFailureBeforeConnectingIsRetriedNotTheEndOfTheStream() {
    AtomicInteger checks = new AtomicInteger();
    EventStream stream = new EventStream(() -> URI.create("ws://127.0.0.1:9/v1/events"), () -> "token", null,
        Duration.ofSeconds(5), Backoff.withoutJitter(Duration.ofMillis(5), Duration.ofMillis(20)), scheduler,
        handler(() -> {
          if (checks.incrementAndGet() <= 2) {
            throw new IllegalStateException("a token file that cannot be read, say");
          }
          return false; // the server is "unreachable": no connection is ever opened
        }, new AtomicInteger()));
    try {
      stream.start();
      Eventually.until(Duration.ofSeconds(30), () -> checks.get() >= 4,
          () -> "checks after two failures: " + checks.get());
    } finally {
      stream.close();
    }
  }
}
