package io.partynet.server.internal;

import static io.partynet.server.internal.ServerFixture.peer;
import static io.partynet.server.internal.ServerFixture.randomKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Key;
import io.partynet.protocol.internal.CreatePartyRequest;
import io.partynet.protocol.internal.Protocol;
import io.partynet.protocol.internal.ProtocolJson;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Abuse suite, issue 16 item 14: registrations are bounded in number, unused ones expire, and
 * WebSocket upgrades count against the per-address rate limit like REST requests.
 */
class RegistrationAbuseTest {
  @TempDir Path dir;

  @Test
  void registrationsAreBoundedAndUnusedOnesExpire() throws Exception {
    try (ServerFixture fx = new ServerFixture(dir, b -> b.maxRegistrations(3).registrationTtl(Duration.ofDays(1)))) {
      RawApi api = new RawApi(fx.port);
      String idle = api.register("idle", randomKey());
      String busy = api.register("busy", randomKey());
      Key hostKey = randomKey();
      String host = api.register("host", hostKey);
      api.send("POST", Protocol.PARTIES, host, ProtocolJson.write(new CreatePartyRequest("p", peer("host", hostKey))));
      Key lateKey = randomKey();
      RawApi.Answer full = api.send("POST", Protocol.PEERS, null,
          ProtocolJson.write(api.provenRequest("late", lateKey, ServerFixture.privateKeyOf(lateKey))));
      assertEquals(503, full.status(), full.body());

      fx.clock.advance(Duration.ofHours(20));
      assertEquals(200, api.send("GET", Protocol.ME, busy, null).status());
      fx.clock.advance(Duration.ofHours(8));
      assertEquals(1, fx.server.expireRegistrationsNow(), "only the idle registration of a peer in no party expires");

      assertEquals(401, api.send("GET", Protocol.ME, idle, null).status());
      assertEquals(200, api.send("GET", Protocol.ME, busy, null).status());
      assertEquals(200, api.send("GET", Protocol.ME, host, null).status(), "a party's member never expires");
      api.register("late", lateKey);
      api.close();
    }
  }

  @Test
  void expiryAndUsesSurviveARestart() throws Exception {
    try (ServerFixture fx = new ServerFixture(dir, b -> b.registrationTtl(Duration.ofDays(1)))) {
      RawApi api = new RawApi(fx.port);
      String kept = api.register("kept", randomKey());
      fx.clock.advance(Duration.ofHours(20));
      assertEquals(200, api.send("GET", Protocol.ME, kept, null).status());
      fx.restart();
      api.close();
      api = new RawApi(fx.port);
      fx.clock.advance(Duration.ofHours(8));
      assertEquals(0, fx.server.expireRegistrationsNow(), "the use before the restart was kept");
      assertEquals(200, api.send("GET", Protocol.ME, kept, null).status());
      api.close();
    }
  }

  @Test
  void webSocketUpgradesAreRateLimitedPerAddress() throws Exception {
    try (ServerFixture fx = new ServerFixture(dir, b -> b.addressRateLimit(1, 5))) {
      RawApi api = new RawApi(fx.port);
      String token = api.register("streamer", randomKey());
      api.close();
      int limited = 0;
      for (int i = 0; i < 10; i++) {
        try (RawHttp upgrade = new RawHttp("127.0.0.3", fx.port)) {
          String answer = upgrade.send("GET " + Protocol.EVENTS + " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
              + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
              + Protocol.AUTHORIZATION + ": " + Protocol.BEARER + token + "\r\n\r\n").read(5000);
          if (RawHttp.status(answer) == 429) {
            limited++;
          } else {
            assertEquals(101, RawHttp.status(answer), answer);
          }
        }
      }
      assertTrue(limited >= 4, "a burst of 5 then 1/s: most of 10 quick upgrades are refused, got " + limited);
    }
  }
}
