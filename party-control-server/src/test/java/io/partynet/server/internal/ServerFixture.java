package io.partynet.server.internal;

import io.partynet.core.testing.Eventually;
import io.partynet.core.testing.ManualClock;
import io.partynet.IpPrefix;
import io.partynet.Key;
import io.partynet.NatType;
import io.partynet.Peer;
import io.partynet.core.internal.registry.RegistrySettings;
import io.partynet.remote.internal.RemoteControlPlaneClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** A real server on an ephemeral loopback port, plus helpers to make clients and peers. */
final class ServerFixture implements AutoCloseable {
  final Path database;
  final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final Consumer<ControlServer.Builder> customizer;
  private final List<RemoteControlPlaneClient> clients = new ArrayList<>();
  ControlServer server;
  int port;

  ServerFixture(Path dir) throws IOException {
    this(dir, b -> {});
  }

  ServerFixture(Path dir, Consumer<ControlServer.Builder> customizer) throws IOException {
    this.database = dir.resolve("server.db");
    this.customizer = customizer;
    start(0);
  }

  void start(int onPort) throws IOException {
    ControlServer.Builder b = ControlServer.builder()
        .host("127.0.0.1")
        .port(onPort)
        .database(database)
        .clock(clock)
        .registrySettings(new RegistrySettings(IpPrefix.parse("10.77.0.0/16"), 16, Duration.ofSeconds(90)))
        .addressRateLimit(100_000, 100_000)
        .peerRateLimit(10_000, 10_000)
        .registrationRateLimit(10_000, 10_000)
        // Every test client speaks from 127.0.0.1: as generous as the rate limits above.
        .maxRequestsInFlight(200, 200);
    customizer.accept(b);
    server = b.build().start();
    port = server.port();
  }

  /** Stops and starts the server on the same port and database. */
  void restart() throws IOException {
    server.close();
    start(port);
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  RemoteControlPlaneClient client() {
    RemoteControlPlaneClient c = RemoteControlPlaneClient.builder(uri())
        .requestTimeout(Duration.ofSeconds(20))
        .heartbeatInterval(Duration.ofSeconds(30))
        .backoff(Duration.ofMillis(20), Duration.ofMillis(300))
        .keyring(ServerFixture::privateKeyOf)
        .build();
    clients.add(c);
    return c;
  }

  private static final java.util.Map<Key, Key> PRIVATE_KEYS = new java.util.concurrent.ConcurrentHashMap<>();

  /** A fresh WireGuard public key; its private key stays in this fixture's keyring. */
  static Key randomKey() {
    io.partynet.core.internal.keys.WireGuardKeyPair pair = io.partynet.core.internal.keys.WireGuardKeys.generateKeyPair();
    PRIVATE_KEYS.put(pair.publicKey(), pair.privateKey());
    return pair.publicKey();
  }

  /** The private key of a key from {@link #randomKey()}: what a client's keyring answers. */
  static Key privateKeyOf(Key publicKey) {
    Key privateKey = PRIVATE_KEYS.get(publicKey);
    if (privateKey == null) {
      throw new IllegalArgumentException("not a key made by ServerFixture.randomKey()");
    }
    return privateKey;
  }

  static Peer peer(String id, Key key) {
    return Peer.newMember(id, "player " + id, key, NatType.FULL_CONE, Instant.now());
  }

  /** Polls {@code condition} until it holds or the deadline passes. */
  static void await(String what, Duration timeout, BooleanSupplier condition) {
    Eventually.until(timeout, condition, what);
  }

  @Override
  public void close() {
    clients.forEach(RemoteControlPlaneClient::close);
    if (server != null) {
      server.close();
    }
  }
}
