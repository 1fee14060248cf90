package io.partynet.server.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.protocol.internal.IceServersResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The TURN REST API credential derivation, checked against values computed outside Java. */
class IceServersTest {
  private static final byte[] SECRET = "north-wind".getBytes(StandardCharsets.UTF_8);

  /**
   * Computed with {@code echo -n '1796515200:p-3f9a1c' | openssl dgst -sha1 -hmac north-wind -binary | base64}
   * when the test was written; the same vector is the protocol's golden ice-servers.json.
   */
  @Test
  void passwordIsTheBase64HmacSha1OfTheUsername() {
    assertEquals("0XBVWhUPw8t6w5KgOyoLO+ImOw8=", IceServers.password(SECRET, "1796515200:p-3f9a1c"));
  }

  /** The same derivation computed by the openssl binary now, for a username the test makes up. */
  @Test
  void passwordMatchesOpensslForAnotherUsername() throws Exception {
    String username = "1800000000:p-" + Long.toHexString(System.nanoTime());
    Process openssl = new ProcessBuilder("openssl", "dgst", "-sha1", "-hmac", "north-wind", "-binary")
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    openssl.getOutputStream().write(username.getBytes(StandardCharsets.UTF_8));
    openssl.getOutputStream().close();
    byte[] mac = openssl.getInputStream().readAllBytes();
    assertTrue(openssl.waitFor(10, TimeUnit.SECONDS), "openssl finished");
    assertEquals(20, mac.length, "an HMAC-SHA1 is 20 bytes: " + HexFormat.of().formatHex(mac));
    assertEquals(Base64.getEncoder().encodeToString(mac), IceServers.password(SECRET, username));
  }

  @Test
  void issuesACredentialForThePeerThatExpiresAfterTheLifetime() {
    IceServers servers = new IceServers(List.of("stun.example.net:3478"), List.of("turn.example.net:3478"), SECRET,
        Duration.ofMinutes(10));
    Clock clock = Clock.fixed(Instant.parse("2026-12-05T23:50:00.700Z"), ZoneOffset.UTC);
    IceServersResponse answer = servers.issue("p-3f9a1c", clock);
    assertEquals(List.of("stun.example.net:3478"), answer.stun());
    assertEquals(Instant.parse("2026-12-06T00:00:00Z"), answer.expiresAt());
    IceServersResponse.TurnServer turn = answer.turn().get(0);
    assertEquals("turn.example.net:3478", turn.address());
    assertEquals("1796515200:p-3f9a1c", turn.username());
    assertEquals("0XBVWhUPw8t6w5KgOyoLO+ImOw8=", turn.password());
  }

  @Test
  void theSecretIsInNoStringForm() {
    IceServers servers = new IceServers(List.of(), List.of("turn.example.net:3478"), SECRET, Duration.ofMinutes(10));
    IceServersResponse answer = servers.issue("p-1", Clock.systemUTC());
    for (String text : List.of(servers.toString(), answer.toString(), answer.turn().get(0).toString())) {
      assertFalse(text.contains("north-wind"), text);
      assertFalse(text.contains(answer.turn().get(0).password()), text);
    }
  }

  @Test
  void turnNeedsASecretAndTheLifetimeIsBounded() {
    assertThrows(IllegalArgumentException.class,
        () -> new IceServers(List.of(), List.of("turn.example.net:3478"), new byte[0], Duration.ofHours(1)));
    assertThrows(IllegalArgumentException.class,
        () -> new IceServers(List.of(), List.of(), null, Duration.ofSeconds(5)));
    assertThrows(IllegalArgumentException.class,
        () -> new IceServers(List.of("no-port"), List.of(), null, Duration.ofHours(1)));
  }
}
