package io.partynet.server.internal;

import io.partynet.testing.Eventually;
import io.partynet.testing.ManualClock;
import io.partynet.Key;
import io.partynet.NatType;
import io.partynet.Peer;
import io.partynet.remote.internal.RemoteControlPlaneClient;
import io.partynet.server.testing.ControlServerExtension;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The server tests' fixture on {@link ControlServerExtension}: a real server on an ephemeral
 * loopback port with its database in the test's directory, stale timeout 90 s on a manual clock
 * and no automatic cleanup during a test (the tests call {@code cleanupNow()}), plus helpers to
 * make clients and peers.
 */
final class ServerFixture implements AutoCloseable {
  final Path database;
  final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final ControlServerExtension extension;
  private final List<RemoteControlPlaneClient> clients = new ArrayList<>();
  ControlServer server;
  int port;

  ServerFixture(Path dir) {
    this(dir, b -> {});
  }

  ServerFixture(Path dir, Consumer<ControlServerBuilder> customizer) {
    this.database = dir.resolve("server.db");
    this.extension = ControlServerExtension.on(clock).database(database).staleTimeout(Duration.ofSeconds(90))
        .cleanupInterval(Duration.ofSeconds(60)).customize(customizer);
    refresh();
  }

  /** Stops and starts the server on the same port and database. */
  void restart() {
    extension.restart();
    refresh();
  }

  /** Restarts the server on the same port with its database deleted. */
  void wipe() {
    extension.wipe();
    refresh();
  }

  private void refresh() {
    server = extension.server();
    port = server.port();
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
    extension.close();
  }
}
