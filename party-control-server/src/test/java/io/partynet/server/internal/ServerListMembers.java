package io.partynet.server.internal;

import static io.partynet.server.internal.ServerFixture.randomKey;

import io.partynet.Key;
import io.partynet.remote.internal.RemoteControlPlaneClient;
import io.partynet.testing.ControlPlaneEventRecorder;
import io.partynet.testing.Eventually;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Members whose remote clients know several server URLs ({@code control.server-urls}), as the
 * tests with more than one server process make them; {@link #close()} closes every client.
 */
final class ServerListMembers implements AutoCloseable {
  /** A started member: its id and key, its client and the events that client delivered. */
  record Member(String id, Key key, RemoteControlPlaneClient client, ControlPlaneEventRecorder events) {}

  private final Duration wait;
  private final List<RemoteControlPlaneClient> clients = new ArrayList<>();

  /** {@code wait} bounds each member's wait for its event stream. */
  ServerListMembers(Duration wait) {
    this.wait = wait;
  }

  /** Starts member {@code id} on {@code servers} (first one first) and waits for its event stream. */
  Member start(String id, List<URI> servers) {
    Key key = randomKey();
    RemoteControlPlaneClient client = RemoteControlPlaneClient.builder(servers)
        .requestTimeout(Duration.ofSeconds(20))
        .heartbeatInterval(Duration.ofSeconds(30))
        .backoff(Duration.ofMillis(50), Duration.ofMillis(500))
        .keyring(ServerFixture::privateKeyOf)
        .build();
    clients.add(client);
    ControlPlaneEventRecorder events = new ControlPlaneEventRecorder();
    client.addListener(events);
    client.start(id, key).join();
    Eventually.until(wait, client::isConnected, id + " event stream up");
    return new Member(id, key, client, events);
  }

  @Override
  public void close() {
    clients.forEach(RemoteControlPlaneClient::close);
  }
}
