package io.partynet.server.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.server.internal.events.EventHub;
import io.partynet.server.internal.parties.RegistryPersistence;
import io.partynet.server.internal.store.ServerStore.AccountRow;
import io.partynet.Invite;
import io.partynet.InviteOptions;
import io.partynet.IpPrefix;
import io.partynet.core.internal.registry.PartyRegistry;
import io.partynet.core.internal.registry.RegistrySettings;
import io.partynet.server.internal.store.ServerStore.BanRow;
import io.partynet.server.internal.store.ServerStore.CodeChanges;
import io.partynet.server.internal.store.ServerStore.PartyCode;
import io.partynet.server.internal.store.ServerStore.PartyRow;
import io.partynet.testing.ManualClock;
import io.partynet.testing.TestPeers;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ServerStore} must do, run against each implementation on the real database
 * ({@link SqliteStoreContractTest}, {@link PostgresStoreContractTest}): each write is durable
 * across a reopen, the shutdown marker behaves, the schema is at the newest version, a database
 * written by a newer server is refused, and {@code party_codes} holds exactly the stored parties'
 * codes while a change that issues no code writes none.
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
      store.writeParties(List.of(new PartyRow("P1", 3, "{\"a\":1}", null), new PartyRow("P2", 7, "{}", "[]")), List.of(),
          CodeChanges.NONE, T0);
      store.insertBans(List.of(new BanRow("P1", "mallory", "KM"), new BanRow("P2", "eve", "KE")));
      store.insertBans(List.of(new BanRow("P2", "eve", "KE2")));
      store.writeParties(List.of(new PartyRow("P2", (1L << 40) + 1, "{\"b\":2}", "[{\"code\":\"K\"}]")), List.of("P1"),
          CodeChanges.NONE, T0);
    }
    try (ServerStore store = open()) {
      assertEquals(List.of(new PartyRow("P2", (1L << 40) + 1, "{\"b\":2}", "[{\"code\":\"K\"}]")), store.loadParties());
      assertEquals(List.of(new BanRow("P2", "eve", "KE2")), store.loadBans());
    }
  }

  @Test
  void aPartyIsFoundByItsIdAndEachOfItsInviteCodesUntilItIsDeleted() throws IOException {
    try (ServerStore store = open()) {
      store.writeParties(List.of(new PartyRow("P1", 1, "{}", null), new PartyRow("P2", 1, "{}", "[]")), List.of(),
          added(code("P1", "P1"), code("P2", "P2")), T0);
      store.writeParties(List.of(new PartyRow("P2", 2, "{}", "[{\"code\":\"C1\"},{\"code\":\"C2\"}]")), List.of(),
          added(code("C1", "P2"), code("C2", "P2")), T0);
      store.writeParties(List.of(new PartyRow("P2", 3, "{}", "[{\"code\":\"C1\"},{\"code\":\"C2\"},{\"code\":\"C3\"}]")),
          List.of(), added(code("C3", "P2")), T0);
    }
    try (ServerStore store = open()) {
      assertEquals(Optional.of("P1"), store.partyOfCode("P1"));
      for (String code : List.of("P2", "C1", "C2", "C3")) {
        assertEquals(Optional.of("P2"), store.partyOfCode(code), code);
      }
      assertEquals(Optional.empty(), store.partyOfCode("C4"));
      store.writeParties(List.of(), List.of("P2"), CodeChanges.NONE, T0);
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
          new PartyRow("P2", 1, "{}", "[{\"code\":\"C1\",\"uses\":0},{\"code\":\"C2\"}]")), List.of(), CodeChanges.NONE, T0);
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
      store.writeParties(List.of(new PartyRow("P1", 1, "{}", "[{\"code\":\"C1\"}]")), List.of(), added(code("C1", "P1")), T0);
    }
    // The primary key refuses a second party for a code, whoever writes it.
    assertThrows(Exception.class, () -> execute("INSERT INTO party_codes(code, party_id) VALUES ('C1', 'P2')"));
    try (ServerStore store = open()) {
      assertEquals(Optional.of("P1"), store.partyOfCode("C1"));
    }
  }

  @Test
  void theCodeRowsAreExactlyThePartiesCodesThroughInvitesUsesRevocationsExpiriesEvictionAndDisbanding() throws Exception {
    ManualClock clock = new ManualClock(T0);
    PartyRegistry registry = registry(clock);
    try (ServerStore store = open()) {
      RegistryPersistence persistence = persisted(registry, store, clock);
      String party = registry.createParty("codes", TestPeers.peer("host")).partyId();
      persistence.flush();
      assertEquals(Map.of(party, party), partyCodes());

      Invite once = registry.createInvite(party, "host", InviteOptions.builder().maxUses(1).build());
      Invite brief = registry.createInvite(party, "host", InviteOptions.builder().ttl(Duration.ofMinutes(1)).build());
      Invite revoked = registry.createInvite(party, "host", InviteOptions.builder().build());
      persistence.flush();
      assertEquals(Map.of(party, party, once.code(), party, brief.code(), party, revoked.code(), party), partyCodes());

      // Used up, revoked and expired codes keep naming the party (a late joiner hears why).
      registry.joinParty(once.code(), TestPeers.peer("guest"));
      registry.revokeInvite(party, "host", revoked.code());
      clock.advance(Duration.ofMinutes(2));
      registry.heartbeat(party, "guest");
      persistence.flush();
      assertEquals(codesOf(registry, party), partyCodes());
      assertEquals(4, partyCodes().size());

      // A full party's next invite makes room by dropping its oldest dead code, here the used-up one.
      while (registry.invites(party).size() < 64) {
        registry.createInvite(party, "host", InviteOptions.builder().build());
      }
      persistence.flush();
      assertEquals(codesOf(registry, party), partyCodes());
      registry.createInvite(party, "host", InviteOptions.builder().build());
      persistence.flush();
      assertFalse(partyCodes().containsKey(once.code()), "the dropped invite's code went");
      assertEquals(codesOf(registry, party), partyCodes());
      assertEquals(65, partyCodes().size());

      String other = registry.createParty("other", TestPeers.peer("carol")).partyId();
      registry.disband(party, "host");
      persistence.flush();
      assertEquals(Map.of(other, other), partyCodes(), "the disbanded party's codes went with it");
    }
  }

  @Test
  void aChangeThatIssuesNoCodeWritesNoCodeRow() throws Exception {
    ManualClock clock = new ManualClock(T0);
    PartyRegistry registry = registry(clock);
    String party;
    Invite invite;
    try (ServerStore store = open()) {
      RegistryPersistence persistence = persisted(registry, store, clock);
      party = registry.createParty("quiet", TestPeers.peer("host")).partyId();
      invite = registry.createInvite(party, "host", InviteOptions.builder().build());
      persistence.flush();
    }
    // Removed behind the store's back: a write that rewrote the party's codes would bring it back.
    execute("DELETE FROM party_codes WHERE code = '" + invite.code() + "'");
    try (ServerStore store = open()) {
      PartyRegistry again = registry(clock);
      RegistryPersistence persistence = persisted(again, store, clock);
      again.joinParty(invite.code(), TestPeers.peer("guest"));
      persistence.flush();
      again.updatePeer(party, TestPeers.peer("guest"));
      again.heartbeat(party, "host");
      again.leaveParty(party, "guest");
      persistence.flush();
      PartyRegistry restored = registry(clock);
      EventHub restoredHub = new EventHub(restored, 8);
      RegistryPersistence restarted = new RegistryPersistence(
          restored, RegistryPersistence.Sequences.of(restoredHub::seqOf, restoredHub::restore), store, clock);
      assertEquals(1, restarted.restore(true), "after a crash every party is written again");
      assertEquals(Map.of(party, party), partyCodes(), "joins, updates, leaves and restores wrote no code row");
    }
  }

  /** Runs SQL that returns two text columns; the rows as a map from the first to the second. */
  abstract Map<String, String> queryPairs(String sql) throws Exception;

  static Map<String, String> pairs(Connection c, String sql) throws SQLException {
    Map<String, String> rows = new TreeMap<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        rows.put(rs.getString(1), rs.getString(2));
      }
    }
    return rows;
  }

  private Map<String, String> partyCodes() throws Exception {
    return queryPairs("SELECT code, party_id FROM party_codes");
  }

  private static Map<String, String> codesOf(PartyRegistry registry, String party) {
    Map<String, String> codes = new TreeMap<>();
    codes.put(party, party);
    registry.invites(party).forEach(invite -> codes.put(invite.code(), party));
    return codes;
  }

  private static PartyRegistry registry(ManualClock clock) {
    return new PartyRegistry(new RegistrySettings(IpPrefix.parse("10.77.0.0/16"), 16, Duration.ofDays(1)), clock,
        new Random(7));
  }

  /** The registry written through to {@code store}, wired as the server wires it. */
  private static RegistryPersistence persisted(PartyRegistry registry, ServerStore store, ManualClock clock) {
    EventHub hub = new EventHub(registry, 8);
    RegistryPersistence persistence = new RegistryPersistence(
        registry, RegistryPersistence.Sequences.of(hub::seqOf, hub::restore), store, clock);
    persistence.restore(false);
    registry.addListener(hub);
    registry.addListener(persistence);
    return persistence;
  }

  private static CodeChanges added(PartyCode... codes) {
    return new CodeChanges(List.of(codes), List.of());
  }

  private static PartyCode code(String code, String partyId) {
    return new PartyCode(code, partyId);
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
