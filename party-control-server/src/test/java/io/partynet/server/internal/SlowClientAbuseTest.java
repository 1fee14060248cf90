package io.partynet.server.internal;

import static io.partynet.server.internal.ServerFixture.randomKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.protocol.internal.Protocol;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Abuse suite, issue 16 item 11: one client holding requests open must not freeze the server.
 * The attacker speaks from 127.0.0.2, everyone else from 127.0.0.1; rate limits are set high so
 * that only the in-flight bounds and the body deadline stand between the attack and the threads.
 */
class SlowClientAbuseTest {
  private static final int ATTACK = 300;
  private static final Duration PROMPT = Duration.ofSeconds(5);

  @TempDir Path dir;
  ServerFixture fx;
  RawApi api;
  final List<RawHttp> attack = new ArrayList<>();
  final ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();

  @BeforeEach
  void setUp() throws Exception {
    fx = new ServerFixture(dir, b -> b.maxRequestsInFlight(32, 160)); // the production defaults
    api = new RawApi(fx.port);
  }

  @AfterEach
  void tearDown() {
    trickler.shutdownNow();
    attack.forEach(RawHttp::close);
    api.close();
    fx.close();
  }

  @Test
  void threeHundredSlowBodiesFromOneAddressLeaveTheServerAnswering() throws Exception {
    String token = api.register("bystander", randomKey());
    for (int i = 0; i < ATTACK; i++) {
      attack.add(new RawHttp("127.0.0.2", fx.port).send("POST " + Protocol.PEERS + " HTTP/1.1\r\nHost: x\r\n"
          + "Content-Type: application/json\r\nContent-Length: 200\r\n\r\n{"));
    }
    trickler.scheduleAtFixedRate(() -> attack.forEach(RawHttp::trickle), 200, 500, TimeUnit.MILLISECONDS);

    assertEquals(200, api.withCallTimeout(PROMPT).send("GET", Protocol.HEALTH, null, null).status(),
        "health from another address answers promptly");
    assertEquals(200, api.withCallTimeout(PROMPT).send("GET", Protocol.ME, token, null).status(),
        "a registered peer's call from another address answers promptly");
    try (RawHttp fromAttacker = new RawHttp("127.0.0.2", fx.port)) {
      String answer = fromAttacker.send("GET " + Protocol.HEALTH + " HTTP/1.1\r\nHost: x\r\n\r\n")
          .read((int) PROMPT.toMillis());
      assertEquals(200, RawHttp.status(answer), "health answers even the attacker's address: " + answer);
    }

    // Requests beyond the per-address bound were refused at once; the admitted ones are cut off at
    // the body deadline although they keep trickling.
    ServerFixture.await("every slow request answered or cut off", Duration.ofSeconds(20),
        () -> attack.stream().allMatch(RawHttp::answeredOrClosed));
    ServerFixture.await("no request holds a thread any more", Duration.ofSeconds(10),
        () -> fx.server.requestsInFlight() == 0);
  }

  @Test
  void aDeclaredBodyOverTheLimitIsRefusedBeforeItIsRead() throws Exception {
    // Jetty dispatches a request with a body when its first bytes arrive; the rest never comes.
    try (RawHttp client = new RawHttp("127.0.0.1", fx.port)) {
      String answer = client.send("POST " + Protocol.PEERS + " HTTP/1.1\r\nHost: x\r\n"
          + "Content-Type: application/json\r\nContent-Length: 10000000\r\n\r\n{").read(10_000);
      assertEquals(413, RawHttp.status(answer), answer);
      assertTrue(RawHttp.body(answer).startsWith("{\"code\":\"INVALID_ARGUMENT\""), answer);
    }
  }
}
