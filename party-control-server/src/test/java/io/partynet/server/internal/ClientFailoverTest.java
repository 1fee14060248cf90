package io.partynet.server.internal;

import static io.partynet.server.internal.ServerFixture.peer;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.server.internal.ServerListMembers.Member;
import io.partynet.server.testing.PostgresDatabase;
import io.partynet.spi.Signal;
import io.partynet.testing.Eventually;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client failover ({@code control.server-urls}) between two real server processes on one real
 * PostgreSQL database: members connected to the active instance keep their party when it is
 * SIGKILLed; their clients move to the standby that took over, resume their event streams there
 * and receive what happens next.
 */
class ClientFailoverTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  @RegisterExtension final PostgresDatabase db = new PostgresDatabase();
  private final ServerListMembers members = new ServerListMembers(WAIT);

  @AfterEach
  void cleanUp() {
    members.close();
  }

  private Member member(String id, List<URI> servers) {
    return members.start(id, servers);
  }

  private ServerProcess server(String name, int port, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("--store", db.storeUrl()));
    args.addAll(List.of(extra));
    ServerProcess process = new ServerProcess(Files.createDirectories(dir.resolve(name)), args.toArray(String[]::new));
    process.port = port;
    return process;
  }

  @Test
  void membersFollowTheirPartyToTheStandbyAfterTheActiveInstanceIsKilled() throws Exception {
    try (ServerProcess active = server("a", 0).start();
        ServerProcess standby = server("b", freePort(), "--standby").launch()) {
      URI a = URI.create("http://127.0.0.1:" + active.port);
      URI b = URI.create("http://127.0.0.1:" + standby.port);
      Member host = member("host", List.of(a, b));
      Member guest = member("guest", List.of(a, b));
      String party = host.client().createParty("failover", peer("host", host.key())).join().partyId();
      guest.client().joinParty(party, peer("guest", guest.key())).join();
      host.events().await("peerJoined " + party + " guest", WAIT);
      host.client().signal(new Signal(party, "host", "guest", "punch-now", Map.of("n", "before"))).join();
      guest.events().await("signal " + party + " host punch-now", WAIT);

      active.kill();
      standby.awaitListening(WAIT);
      guest.events().await("disconnected", WAIT);
      Eventually.until(WAIT, () -> host.client().isConnected() && guest.client().isConnected(),
          "both event streams back, on the standby");

      // The first command after the failover may still meet the dead instance: retried until it lands.
      Eventually.until(WAIT, () -> sent(host, new Signal(party, "host", "guest", "punch-now", Map.of("n", "after"))),
          "a signal through the standby");
      Eventually.until(WAIT, () -> guest.events().signals().stream().anyMatch(s -> "after".equals(s.data().get("n"))),
          () -> "the guest receives the signal sent after the failover: " + guest.events().events());

      Member late = member("late", List.of(b));
      late.client().joinParty(party, peer("late", late.key())).join();
      host.events().await("peerJoined " + party + " late", WAIT);
      guest.events().await("peerJoined " + party + " late", WAIT);
      assertTrue(guest.client().isConnected());
    }
  }

  private static boolean sent(Member from, Signal signal) {
    try {
      from.client().signal(signal).join();
      return true;
    } catch (CompletionException e) {
      return false;
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
