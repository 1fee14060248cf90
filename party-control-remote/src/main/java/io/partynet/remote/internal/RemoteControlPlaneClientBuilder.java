package io.partynet.remote.internal;

import io.partynet.Key;
import io.partynet.PartyException;
import io.partynet.PartyException.Reason;
import io.partynet.protocol.internal.X25519;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;

/** Options of a {@link RemoteControlPlaneClient}; not thread-safe. */
public final class RemoteControlPlaneClientBuilder {
  final List<URI> servers;
  Duration requestTimeout = Duration.ofSeconds(10);
  Duration heartbeatInterval = Duration.ofSeconds(10);
  boolean autoHeartbeat = true;
  Duration initialBackoff = Duration.ofMillis(200);
  Duration maxBackoff = Duration.ofSeconds(15);
  int maxAttempts = 4;
  Sleeper sleeper = Sleeper.SYSTEM;
  Random random = new Random();
  TokenStore tokenStore = TokenStore.inMemory();
  SSLContext sslContext;
  X509TrustManager trustManager;
  Function<Key, Key> keyring;

  RemoteControlPlaneClientBuilder(List<URI> servers) {
    this.servers = List.copyOf(servers);
    new ServerList(this.servers);
  }

  /** Bounds each HTTP attempt (connect, read, write, whole call) and the WebSocket connect. */
  public RemoteControlPlaneClientBuilder requestTimeout(Duration v) { requestTimeout = positive(v, "requestTimeout"); return this; }
  /** How often the client heartbeats each party it is in. */
  public RemoteControlPlaneClientBuilder heartbeatInterval(Duration v) { heartbeatInterval = positive(v, "heartbeatInterval"); return this; }
  /**
   * Whether the client heartbeats every party it is in by itself (default true). The SDK's party
   * manager heartbeats on its own schedule, so {@link RemoteControlPlaneClient#fromConfig} turns this off.
   */
  public RemoteControlPlaneClientBuilder autoHeartbeat(boolean v) { autoHeartbeat = v; return this; }
  /** Backoff between retries and reconnects: from {@code initial}, doubling, capped at {@code max}, jittered. */
  public RemoteControlPlaneClientBuilder backoff(Duration initial, Duration max) {
    initialBackoff = positive(initial, "initial backoff");
    maxBackoff = positive(max, "max backoff");
    return this;
  }
  /** Attempts per idempotent call (1 = no retry). */
  public RemoteControlPlaneClientBuilder maxAttempts(int v) {
    if (v < 1 || v > 10) {
      throw new IllegalArgumentException("maxAttempts must be 1..10: " + v);
    }
    maxAttempts = v;
    return this;
  }
  /** How retries wait; tests pass one that does not sleep. */
  public RemoteControlPlaneClientBuilder sleeper(Sleeper v) { sleeper = Objects.requireNonNull(v, "sleeper"); return this; }
  /** The jitter source; tests pass a seeded one. */
  public RemoteControlPlaneClientBuilder random(Random v) { random = Objects.requireNonNull(v, "random"); return this; }
  /** Where tokens are kept; default in memory only. */
  public RemoteControlPlaneClientBuilder tokenStore(TokenStore v) { tokenStore = Objects.requireNonNull(v, "tokenStore"); return this; }
  /**
   * The member's WireGuard private key, used in this process only to prove possession when
   * registering (it is never sent). {@code start} must then be given its public key.
   */
  public RemoteControlPlaneClientBuilder privateKey(Key v) {
    Key privateKey = Objects.requireNonNull(v, "privateKey");
    Key publicKey = X25519.publicKey(privateKey);
    return keyring(asked -> {
      if (!asked.equals(publicKey)) {
        throw PartyException.of(Reason.INVALID_ARGUMENT, "start() was given a public key that does not belong"
            + " to the private key this client was built with");
      }
      return privateKey;
    });
  }
  /** Where registration finds the private key of the public key given to {@code start} (e.g. a key store). */
  public RemoteControlPlaneClientBuilder keyring(Function<Key, Key> v) { keyring = Objects.requireNonNull(v, "keyring"); return this; }
  /** TLS settings for https/wss when the server's certificate is not trusted by the JVM's defaults. */
  public RemoteControlPlaneClientBuilder tls(SSLContext context, X509TrustManager trust) {
    sslContext = Objects.requireNonNull(context, "context");
    trustManager = Objects.requireNonNull(trust, "trust");
    return this;
  }

  public RemoteControlPlaneClient build() {
    return new RemoteControlPlaneClient(this);
  }

  private static Duration positive(Duration d, String what) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive: " + d);
    }
    return d;
  }
}
