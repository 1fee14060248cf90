package io.partynet.server.internal;

import static io.partynet.server.internal.ServerFixture.peer;
import static io.partynet.server.internal.ServerFixture.randomKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.partynet.Key;
import io.partynet.PartyException;
import io.partynet.remote.internal.RemoteControlPlaneClient;
import io.partynet.remote.internal.TokenStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a client keeps its identity: saved tokens across SDK restarts, re-registration when the server forgot it. */
class IdentityTest {
  @TempDir Path dir;
  ServerFixture fx;

  @BeforeEach
  void setUp() throws Exception {
    fx = new ServerFixture(dir);
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  private RemoteControlPlaneClient client(TokenStore store) {
    return RemoteControlPlaneClient.builder(fx.uri()).requestTimeout(Duration.ofSeconds(20))
        .keyring(ServerFixture::privateKeyOf)
        .backoff(Duration.ofMillis(20), Duration.ofMillis(300)).tokenStore(store).build();
  }

  @Test
  void aRestartedSdkReusesItsSavedTokenAndAStrangerCannotTakeTheId() {
    Path tokens = dir.resolve("home").resolve("control-tokens.json");
    Key key = randomKey();
    String party;
    try (RemoteControlPlaneClient first = client(TokenStore.inFile(tokens))) {
      first.start("player", key).join();
      party = first.createParty("kept", peer("player", key)).join().partyId();
    }
    try (RemoteControlPlaneClient again = client(TokenStore.inFile(tokens))) {
      again.start("player", key).join();
      assertEquals(1, again.getParty(party).join().orElseThrow().peers().size());
    }
    try (RemoteControlPlaneClient stranger = client(TokenStore.inMemory())) {
      CompletionException e = assertThrows(CompletionException.class,
          () -> stranger.start("player", randomKey()).join());
      assertEquals(PartyException.Reason.FORBIDDEN, ((PartyException) e.getCause()).reason());
    }
  }

  @Test
  void whenTheServerLostItsDatabaseTheClientRegistersAgain() throws Exception {
    Key key = randomKey();
    RemoteControlPlaneClient client = fx.client();
    client.start("survivor", key).join();
    ServerFixture.await("connected", Duration.ofSeconds(20), client::isConnected);
    fx.wipe();
    // A POST first: it meets the keep-alive connection the old server closed, which is detected
    // before the request is written (StaleConnectionCheck), so it goes out on a new connection,
    // meets the lost registration and registers again.
    String party = client.createParty("fresh", peer("survivor", key)).join().partyId();
    assertEquals("survivor", client.getParty(party).join().orElseThrow().hostId());
    ServerFixture.await("event stream back", Duration.ofSeconds(20), client::isConnected);
  }
}
