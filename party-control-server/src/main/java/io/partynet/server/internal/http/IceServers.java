package io.partynet.server.internal.http;

import io.partynet.protocol.internal.IceServersResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The STUN and TURN servers handed to registered peers, with TURN credentials in coturn's
 * {@code use-auth-secret} scheme (the TURN REST API): username {@code expiry:peerId} with expiry in
 * Unix seconds, password {@code base64(HMAC-SHA1(secret, username))}. coturn recomputes the
 * password from the same shared secret and refuses the username once its expiry has passed, so
 * the server stores nothing per credential and the secret itself never leaves this class.
 * Immutable and thread-safe; {@link #toString()} leaves the secret out.
 */
public final class IceServers {
  /** Credentials live an hour unless configured otherwise: long enough to refresh calmly. */
  public static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);
  public static final Duration MIN_LIFETIME = Duration.ofSeconds(30);
  public static final Duration MAX_LIFETIME = Duration.ofDays(7);

  private final List<String> stun;
  private final List<String> turn;
  private final byte[] secret;
  private final Duration lifetime;

  /**
   * @param turnSecret the {@code static-auth-secret} coturn is configured with; required when
   *     {@code turn} is not empty
   */
  public IceServers(List<String> stun, List<String> turn, byte[] turnSecret, Duration lifetime) {
    this.stun = List.copyOf(stun);
    this.turn = List.copyOf(turn);
    this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
    if (lifetime.compareTo(MIN_LIFETIME) < 0 || lifetime.compareTo(MAX_LIFETIME) > 0) {
      throw new IllegalArgumentException("the TURN credential lifetime must be " + MIN_LIFETIME.toSeconds() + ".."
          + MAX_LIFETIME.toSeconds() + " seconds: " + lifetime.toSeconds());
    }
    if (!this.turn.isEmpty() && (turnSecret == null || turnSecret.length == 0)) {
      throw new IllegalArgumentException("TURN servers need the shared secret coturn is configured with");
    }
    this.secret = turnSecret == null ? new byte[0] : turnSecret.clone();
    // Build one answer now so a bad address fails at start, not at the first request.
    answer("p-check", Instant.EPOCH);
  }

  /** No servers at all: the endpoint answers empty lists, and peers fall back on their settings. */
  public static IceServers none() {
    return new IceServers(List.of(), List.of(), null, DEFAULT_LIFETIME);
  }

  /** The servers and a fresh credential for {@code peerId}, valid from {@code clock}'s now for the lifetime. */
  IceServersResponse issue(String peerId, Clock clock) {
    return answer(peerId, clock.instant().plus(lifetime));
  }

  private IceServersResponse answer(String peerId, Instant expiresAt) {
    String username = expiresAt.getEpochSecond() + ":" + peerId;
    List<IceServersResponse.TurnServer> servers = turn.isEmpty() ? List.of()
        : turn.stream().map(a -> new IceServersResponse.TurnServer(a, username, password(secret, username))).toList();
    return new IceServersResponse(stun, servers, Instant.ofEpochSecond(expiresAt.getEpochSecond()));
  }

  /** {@code base64(HMAC-SHA1(secret, username))}, the password coturn expects for {@code username}. */
  public static String password(byte[] secret, String username) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(secret, "HmacSHA1"));
      return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA1 is part of every Java runtime", e);
    }
  }

  @Override
  public String toString() {
    return "IceServers[stun=" + stun + ", turn=" + turn + ", lifetime=" + lifetime + ", secret="
        + (secret.length == 0 ? "none" : "<hidden>") + "]";
  }
}
