package io.partynet.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.server.internal.ServerStore.AccountRow;
import io.partynet.server.internal.ServerStore.BanRow;
import io.partynet.server.internal.ServerStore.PartyRow;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ServerStore} must do, run against each implementation on the real database
 * ({@link SqliteStoreContractTest}, {@link PostgresStoreContractTest}): each write is durable
 * across a reopen, the shutdown marker behaves, the schema is at the newest version and a database
 * written by a newer server is refused.
 */
abstract class ServerStoreContract {
  private static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123Z");

  /** Opens the test's database (the same one each call). */
  abstract ServerStore open() throws IOException;

  /** Runs raw SQL on the test's database, around the store. */
  abstract void execute(String sql) throws Exception;

  @Test
  void registrationsSurviveAReopenWithTokensReplacedUsesRecordedAndExpiriesApplied() throws IOException {
    try (ServerStore store = open()) {
      store.insertAccount(new AccountRow("alice", "KA", "h1", T0, T0));
      store.insertAccount(new AccountRow("bob", "KB", "h2", T0, T0));
      store.insertAccount(new AccountRow("carol", "KC", "h3", T0, T0));
      store.replaceToken("alice", "h1b");
      store.updateAccounts(Map.of("bob", T0.plus(2, ChronoUnit.DAYS)), List.of("carol"));
    }
    try (ServerStore store = open()) {
      List<AccountRow> rows = sorted(store.loadAccounts());
      assertEquals(List.of(new AccountRow("alice", "KA", "h1b", T0, T0),
          new AccountRow("bob", "KB", "h2", T0, T0.plus(2, ChronoUnit.DAYS))), rows);
    }
  }

  @Test
  void aTokensLastUseOnlyMovesForward() throws IOException {
    Instant whole = Instant.parse("2026-03-01T10:15:30Z");
    Instant halfPast = whole.plusMillis(500);
    try (ServerStore store = open()) {
      store.insertAccount(new AccountRow("alice", "KA", "h1", T0, T0));
      store.updateAccounts(Map.of("alice", halfPast), List.of());
      // Written late by another instance: older, and shorter as ISO-8601 text ("...30Z" sorts after "...30.5Z").
      store.updateAccounts(Map.of("alice", whole), List.of());
      store.updateAccounts(Map.of("alice", T0), List.of());
      assertEquals(halfPast, store.loadAccounts().get(0).lastUsed(), "an older use does not overwrite a newer one");
      store.updateAccounts(Map.of("alice", whole.plusSeconds(1)), List.of());
    }
    try (ServerStore store = open()) {
      assertEquals(whole.plusSeconds(1), store.loadAccounts().get(0).lastUsed(), "a newer use does");
    }
  }

  @Test
  void aSecondRegistrationWithATokenHashAlreadyStoredIsRefused() throws IOException {
    try (ServerStore store = open()) {
      store.insertAccount(new AccountRow("alice", "KA", "same", T0, T0));
      assertThrows(RuntimeException.class, () -> store.insertAccount(new AccountRow("bob", "KB", "same", T0, T0)));
      assertEquals(1, store.loadAccounts().size());
    }
  }

  @Test
  void partiesAreUpsertedAndDeletedWithTheirKicksInOneWrite() throws IOException {
    try (ServerStore store = open()) {
      store.writeParties(List.of(new PartyRow("P1", 3, "{\"a\":1}", null), new PartyRow("P2", 7, "{}", "[]")), List.of(), T0);
      store.insertBans(List.of(new BanRow("P1", "mallory", "KM"), new BanRow("P2", "eve", "KE")));
      store.insertBans(List.of(new BanRow("P2", "eve", "KE2")));
      store.writeParties(List.of(new PartyRow("P2", (1L << 40) + 1, "{\"b\":2}", "[{\"code\":\"K\"}]")), List.of("P1"), T0);
    }
    try (ServerStore store = open()) {
      assertEquals(List.of(new PartyRow("P2", (1L << 40) + 1, "{\"b\":2}", "[{\"code\":\"K\"}]")), store.loadParties());
      assertEquals(List.of(new BanRow("P2", "eve", "KE2")), store.loadBans());
    }
  }

  @Test
  void aPartyIsFoundByItsIdAndEachOfItsInviteCodesUntilItIsDeleted() throws IOException {
    try (ServerStore store = open()) {
      store.writeParties(List.of(new PartyRow("P1", 1, "{}", null), new PartyRow("P2", 1, "{}", "[]")), List.of(), T0);
      store.writeParties(List.of(new PartyRow("P2", 2, "{}", "[{\"code\":\"C1\"},{\"code\":\"C2\"}]")), List.of(), T0);
      store.writeParties(List.of(new PartyRow("P2", 3, "{}", "[{\"code\":\"C1\"},{\"code\":\"C2\"},{\"code\":\"C3\"}]")),
          List.of(), T0);
    }
    try (ServerStore store = open()) {
      assertEquals(Optional.of("P1"), store.partyOfCode("P1"));
      for (String code : List.of("P2", "C1", "C2", "C3")) {
        assertEquals(Optional.of("P2"), store.partyOfCode(code), code);
      }
      assertEquals(Optional.empty(), store.partyOfCode("C4"));
      store.writeParties(List.of(), List.of("P2"), T0);
      for (String code : List.of("P2", "C1", "C2", "C3")) {
        assertEquals(Optional.empty(), store.partyOfCode(code), code + " went with its party");
      }
      assertEquals(Optional.of("P1"), store.partyOfCode("P1"));
    }
  }

  @Test
  void theMigrationThatAddsPartyCodesRecordsTheCodesOfPartiesStoredBefore() throws Exception {
    int latest;
    try (ServerStore store = open()) {
      store.writeParties(List.of(new PartyRow("P1", 1, "{}", null),
          new PartyRow("P2", 1, "{}", "[{\"code\":\"C1\",\"uses\":0},{\"code\":\"C2\"}]")), List.of(), T0);
      latest = store.schemaVersion();
    }
    // Back to the schema before party_codes (the newest migration adds it), as an older server left it.
    execute("DROP TABLE party_codes");
    execute("DELETE FROM schema_history WHERE version = " + latest);
    try (ServerStore store = open()) {
      assertEquals(latest, store.schemaVersion());
      assertEquals(Optional.of("P1"), store.partyOfCode("P1"));
      for (String code : List.of("P2", "C1", "C2")) {
        assertEquals(Optional.of("P2"), store.partyOfCode(code), code);
      }
    }
  }

  @Test
  void aCodeNamesOnePartyOnly() throws Exception {
    try (ServerStore store = open()) {
      store.writeParties(List.of(new PartyRow("P1", 1, "{}", "[{\"code\":\"C1\"}]")), List.of(), T0);
    }
    // The primary key refuses a second party for a code, whoever writes it.
    assertThrows(Exception.class, () -> execute("INSERT INTO party_codes(code, party_id) VALUES ('C1', 'P2')"));
    try (ServerStore store = open()) {
      assertEquals(Optional.of("P1"), store.partyOfCode("C1"));
    }
  }

  @Test
  void theShutdownMarkerSaysWhetherTheLastRunStoppedCleanly() throws IOException {
    try (ServerStore store = open()) {
      assertTrue(store.takeCleanShutdown(), "a new database counts as clean");
    }
    try (ServerStore store = open()) {
      assertFalse(store.takeCleanShutdown(), "taken but never marked: a crash");
      store.markCleanShutdown();
    }
    try (ServerStore store = open()) {
      assertTrue(store.takeCleanShutdown());
      assertFalse(store.takeCleanShutdown(), "in use again until marked");
    }
  }

  @Test
  void theSchemaIsAtTheNewestVersionAndTheDatabaseAnswers() throws IOException {
    try (ServerStore store = open()) {
      assertEquals(latestVersion(), store.schemaVersion());
      assertTrue(store.reachable(2));
    }
  }

  @Test
  void aDatabaseWrittenByANewerServerIsRefused() throws Exception {
    open().close();
    execute("INSERT INTO schema_history(version, description, applied_at) VALUES (999, 'future', 'x')");
    IOException e = assertThrows(IOException.class, this::open);
    assertTrue(e.getMessage().contains("newer server"), e.getMessage());
  }

  abstract int latestVersion();

  private static List<AccountRow> sorted(List<AccountRow> rows) {
    return rows.stream().sorted(Comparator.comparing(AccountRow::peerId)).toList();
  }
}
