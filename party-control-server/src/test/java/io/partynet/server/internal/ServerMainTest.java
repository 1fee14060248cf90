package io.partynet.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.server.internal.store.StoreLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerMainTest {
  @TempDir Path dir;

  @Test
  void parsesEveryOption() throws Exception {
    Path pass = Files.writeString(dir.resolve("pass"), "secret\n");
    assertNotNull(ServerMain.parse(new String[] {"--port", "0", "--host", "127.0.0.1", "--db", "x.db",
        "--subnet", "10.88.0.0/16", "--max-party-size", "8", "--stale-timeout", "30", "--cleanup-interval", "10",
        "--tls-keystore", "k.p12", "--tls-password-file", pass.toString(), "--trust-proxy",
        "--peer-rate-limit", "5", "--address-rate-limit", "50", "--max-requests-per-address", "8",
        "--max-requests", "100", "--registration-ttl", "7", "--max-registrations", "5000"}, null));
    assertNotNull(ServerMain.parse(new String[] {"--tls-keystore", "k.p12"}, "from-env"));
  }

  @Test
  void parsesIceServerOptions() throws Exception {
    Path secret = Files.writeString(dir.resolve("turn-secret"), "north-wind\n");
    assertNotNull(ServerMain.parse(new String[] {"--stun", "stun.example.net:3478", "--stun", "[2001:db8::3]:3478",
        "--turn", "turn.example.net:3478", "--turn-secret-file", secret.toString(),
        "--turn-credential-lifetime", "600"}, null));
  }

  @Test
  void refusesAnEmptyTurnSecretFileByName() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty-secret"), "\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerMain.parse(
        new String[] {"--turn", "turn.example.net:3478", "--turn-secret-file", empty.toString()}, null));
    assertTrue(e.getMessage().contains("is empty"), e.getMessage());
  }

  @Test
  void aSecretGivenOnTheCommandLineIsRefusedWithThePointerToTheFile() {
    for (String option : new String[] {"--turn-secret", "--tls-password"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ServerMain.parse(new String[] {option, "hunter2"}, null));
      assertTrue(e.getMessage().contains(option + "-file FILE") && !e.getMessage().contains("hunter2"), e.getMessage());
    }
  }

  @Test
  void sharedNeedsPostgresqlAndExcludesStandby() {
    assertNotNull(ServerMain.parse(new String[] {"--shared", "--store", "postgresql://party@db.example.net/party"},
        "from-env"));
    IllegalArgumentException sqlite = assertThrows(IllegalArgumentException.class,
        () -> ServerMain.parse(new String[] {"--shared", "--db", "party.db"}, null));
    assertTrue(sqlite.getMessage().contains("--shared needs a PostgreSQL --store"), sqlite.getMessage());
    IllegalArgumentException standby = assertThrows(IllegalArgumentException.class, () -> ServerMain.parse(
        new String[] {"--shared", "--standby", "--store", "postgresql://party@db.example.net/party"}, "from-env"));
    assertTrue(standby.getMessage().contains("--standby"), standby.getMessage());
  }

  @Test
  void helpReturnsNothingToRun() {
    assertNull(ServerMain.parse(new String[] {"--port", "1", "--help"}, null));
    assertTrue(ServerMain.USAGE.contains("--db FILE"));
  }

  @Test
  void rejectsBadCommandLines() {
    for (String[] args : new String[][] {
        {"--port"}, {"--port", "x"}, {"--port", "70000"}, {"--what"}, {"--db", "--port"},
        {"--max-party-size", "1"}, {"--subnet", "not-a-net"}, {"--tls-keystore", "k.p12"},
        {"--tls-password-file", "p"}, {"--tls-keystore", "k", "--tls-password-file", "/nonexistent/p"},
        {"--max-requests-per-address", "50", "--max-requests", "20"}, {"--max-requests", "500"},
        {"--registration-ttl", "0"}, {"--max-registrations", "0"},
        {"--stun", "example.net"}, {"--stun", "example.net:0"}, {"--stun", "example.net:x"}, {"--stun", "2001:db8::1:3478"},
        {"--turn", "turn.example.net:3478"}, {"--turn-secret-file", "s"},
        {"--turn", "turn.example.net:3478", "--turn-secret-file", "/nonexistent/secret"},
        {"--turn", "t:3478", "--turn-secret-file", "s", "--turn-credential-lifetime", "5"}}) {
      assertThrows(IllegalArgumentException.class, () -> ServerMain.parse(args, null), String.join(" ", args));
    }
  }

  @Test
  void theCommandLineTakesThePasswordFromAFileOrTheEnvironmentAndThePoolSize() throws Exception {
    Path file = dir.resolve("db.pass");
    Files.writeString(file, "from-file\n");
    ControlServerBuilder fromFile = ServerMain.parse(new String[] {"--store", "postgresql://party@h/db",
        "--store-password-file", file.toString(), "--db-pool-size", "3"}, null, "from-env");
    assertEquals(new StoreLocation.Postgres("jdbc:postgresql://h/db", "party", "from-file", 3), storeOf(fromFile));
    ControlServerBuilder fromEnv = ServerMain.parse(new String[] {"--store", "postgresql://party@h/db"}, null, "from-env");
    assertEquals("from-env", ((StoreLocation.Postgres) storeOf(fromEnv)).password());
    ControlServerBuilder sqlite = ServerMain.parse(new String[] {"--db", "x.db"}, null, null);
    assertInstanceOf(StoreLocation.Sqlite.class, storeOf(sqlite));
    assertThrows(IllegalArgumentException.class, () -> ServerMain.parse(new String[] {"--store", "sqlite:x.db",
        "--store-password-file", file.toString()}, null, null));
  }

  private static StoreLocation storeOf(ControlServerBuilder builder) {
    return builder.storeLocation();
  }
}
