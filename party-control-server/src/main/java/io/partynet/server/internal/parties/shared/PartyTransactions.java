package io.partynet.server.internal.parties.shared;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.partynet.PartyException;
import io.partynet.PartyException.Reason;
import io.partynet.PartyInfo;
import io.partynet.PartyNotFoundException;
import io.partynet.core.internal.json.Json;
import io.partynet.core.internal.registry.CleanupReport;
import io.partynet.core.internal.registry.PartyEntry;
import io.partynet.core.internal.registry.PartyRegistry;
import io.partynet.core.internal.registry.RegistrySettings;
import io.partynet.core.internal.registry.RegistrySnapshot;
import io.partynet.server.internal.events.EventHub;
import io.partynet.server.internal.events.StoredEvent;
import io.partynet.server.internal.store.PartyCodes;
import io.partynet.server.internal.store.PostgresStore;
import io.partynet.server.internal.store.ServerStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Party changes as PostgreSQL transactions: the step that lets several server instances share one
 * database and change one party at the same time without losing an update.
 *
 * <p>A change locks the party's row ({@code SELECT ... FOR UPDATE}), so changes to one party take
 * turns across every instance; it reads the party from that row into a scratch registry, applies
 * the change there (the registry's own rules decide: size limit, lowest free virtual IP, invites,
 * host rights) and writes the new state, the new sequence number and the numbered events (table
 * {@code party_events}) in the same transaction, which also sends a {@code NOTIFY} on
 * {@link #CHANNEL} with payload {@code PARTY:SEQ}. Nothing is decided from an instance's memory,
 * so every instance hands out the same sequence numbers and no virtual IP twice; the other
 * instances learn of the change through {@link PartyEventFeed} and read the events with
 * {@link #eventsAfter}. The party's own rows are read and written by {@link SharedPartyRows}.
 * Thread-safe: each call is its own transaction.
 */
final class PartyTransactions {
  /** The LISTEN/NOTIFY channel of committed party changes. */
  static final String CHANNEL = "partynet_events";
  /** "PNclean" in ASCII: the lock one deployment-wide cleanup run holds (see {@link #cleanupStale()}). */
  static final long CLEANUP_LOCK_KEY = 0x504e636c65616eL;
  /** How often a change that drew a code (a party id, an invite code) already in use is tried again. */
  private static final int DRAW_ATTEMPTS = 5;
  /**
   * How long committed events stay in {@code party_events}: far longer than an instance takes to
   * read a change it was notified of. An instance that falls further behind (its feed was down)
   * gives its clients a snapshot instead (see {@link EventHub#resetCommitted}).
   */
  static final java.time.Duration EVENT_RETENTION = java.time.Duration.ofMinutes(10);
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  /** A change applied to the scratch registry holding the locked party (and its event hub). */
  public interface Change<T> {
    T apply(PartyRegistry registry, EventHub hub);
  }

  /** A change that also consults the database in its transaction (kicks, a peer's other parties, join keys). */
  interface Step<T> {
    T apply(Scratch scratch) throws SQLException;
  }

  /** What a {@link Step} works on: the scratch registry and hub holding the locked party, and the transaction's checks. */
  record Scratch(PartyRegistry registry, EventHub hub, SharedMembership membership) {}

  /** A party as committed: its state ({@code null} once it is gone) at sequence number {@code seq}. */
  public record Committed(String partyId, PartyInfo party, long seq) {}

  /** What a committed change answered, the events it wrote and the parties it left behind. */
  public record Outcome<T>(T value, List<StoredEvent> events, List<Committed> parties) {}

  private final PostgresStore store;
  private final RegistrySettings settings;
  private final Clock clock;
  private final Random random;

  public PartyTransactions(PostgresStore store, RegistrySettings settings, Clock clock, Random random) {
    this.store = store;
    this.settings = settings;
    this.clock = clock;
    this.random = random;
  }

  /** Applies {@code change} to party {@code partyId} under its row lock; PARTY_NOT_FOUND when there is no such party. */
  public <T> Outcome<T> change(String partyId, Change<T> change) {
    return step(partyId, scratch -> change.apply(scratch.registry(), scratch.hub()));
  }

  /** {@link #change} with the transaction's database checks at hand. */
  <T> Outcome<T> step(String partyId, Step<T> step) {
    return drawingAgain("issue an unused invite code", () -> store.transaction("change party " + partyId, c -> {
      Outcome<T> outcome = changeIfPresent(c, partyId, step);
      if (outcome == null) {
        throw new PartyNotFoundException(partyId);
      }
      return outcome;
    }));
  }

  /** {@link #change} on a connection already in a transaction; null when the party does not exist (any more). */
  private <T> Outcome<T> changeIfPresent(Connection c, String partyId, Step<T> step) throws SQLException {
    ServerStore.PartyRow row = SharedPartyRows.lock(c, partyId);
    return row == null ? null : applyAndWrite(c, row, step);
  }

  /**
   * Applies {@code change}, which creates a party, to an empty scratch registry and inserts the new
   * party; a party id already taken (now or by a past party whose events are kept) is drawn again.
   */
  public <T> Outcome<T> create(Change<T> change) {
    return createStep(scratch -> change.apply(scratch.registry(), scratch.hub()));
  }

  /** {@link #create} with the transaction's database checks at hand. */
  <T> Outcome<T> createStep(Step<T> step) {
    return drawingAgain("draw an unused party id", () -> store.transaction("create a party", c -> applyAndWrite(c, null, step)));
  }

  /**
   * Runs {@code transaction} again (the registry draws new codes each time) while a code it drew
   * names another party: drawn by another instance, or a party id whose events are still kept.
   */
  private static <T> Outcome<T> drawingAgain(String what, Supplier<Outcome<T>> transaction) {
    for (int attempt = 1; ; attempt++) {
      try {
        return transaction.get();
      } catch (SharedPartyRows.CodeTaken e) {
        if (attempt == DRAW_ATTEMPTS) {
          throw PartyException.of(Reason.INTERNAL, "could not " + what + " in " + DRAW_ATTEMPTS + " draws; try again");
        }
      }
    }
  }

  /** The stored events of {@code partyId} numbered after {@code afterSeq}, oldest first. */
  public List<StoredEvent> eventsAfter(String partyId, long afterSeq) {
    return store.transaction("read the events of party " + partyId, c -> {
      List<StoredEvent> events = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT seq, frame, recipients FROM party_events WHERE party_id = ? AND seq > ? ORDER BY seq")) {
        ps.setString(1, partyId);
        ps.setLong(2, afterSeq);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            events.add(new StoredEvent(partyId, rs.getLong(1), rs.getString(2), Set.copyOf(recipients(rs.getString(3)))));
          }
        }
      }
      return events;
    });
  }

  /** Deletes events stored before {@code cutoff} (a client that missed more gets a snapshot); returns how many. */
  public int pruneEventsBefore(Instant cutoff) {
    return store.transaction("prune old party events", c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM party_events WHERE created_at < ?")) {
        ps.setObject(1, SharedPartyRows.utc(cutoff));
        return ps.executeUpdate();
      }
    });
  }

  /**
   * Records that member {@code peerId} of {@code partyId} was heard from now, whichever instance
   * took the heartbeat; false when it is not a member (nothing is written then). One row update,
   * no party lock: a heartbeat changes no state anyone is told about.
   */
  public boolean heartbeat(String partyId, String peerId) {
    return store.statement("record a heartbeat", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE member_seen SET last_seen = ? WHERE party_id = ? AND peer_id = ?")) {
        ps.setObject(1, SharedPartyRows.utc(clock.instant()));
        ps.setString(2, partyId);
        ps.setString(3, peerId);
        return ps.executeUpdate() == 1;
      }
    });
  }

  /** What one deployment-wide cleanup did; {@code ran} is false when another instance's cleanup was running. */
  public record CleanupRun(boolean ran, List<String> removedPeers, List<String> disbandedParties,
      List<StoredEvent> events) {}

  /**
   * Removes members not heard from for the stale timeout, forgets join keys whose withdrawal ran
   * out and events older than {@link #EVENT_RETENTION}, on every instance's behalf: the run holds
   * a transaction-level advisory lock, so while one instance cleans up the others skip (whichever
   * instance's timer fires, the deployment cleans up once). Each party with a stale member is then
   * changed under its row lock by the registry's cleanup rules (a stale host disbands the party),
   * all in the run's one transaction and on its one connection (so a pool of one suffices).
   */
  public CleanupRun cleanupStale() {
    Instant cutoff = clock.instant().minus(settings.staleTimeout());
    return store.transaction("clean up stale members", c -> {
      try (PreparedStatement lock = c.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
        lock.setLong(1, CLEANUP_LOCK_KEY);
        try (ResultSet rs = lock.executeQuery()) {
          rs.next();
          if (!rs.getBoolean(1)) {
            return new CleanupRun(false, List.of(), List.of(), List.of());
          }
        }
      }
      List<String> parties = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT DISTINCT party_id FROM member_seen WHERE last_seen < ? ORDER BY party_id")) {
        ps.setObject(1, SharedPartyRows.utc(cutoff));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            parties.add(rs.getString(1));
          }
        }
      }
      SharedMembership.forgetExpiredKeys(c, clock.instant());
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM party_events WHERE created_at < ?")) {
        ps.setObject(1, SharedPartyRows.utc(clock.instant().minus(EVENT_RETENTION)));
        ps.executeUpdate();
      }
      List<String> removed = new ArrayList<>();
      List<String> disbanded = new ArrayList<>();
      List<StoredEvent> events = new ArrayList<>();
      for (String partyId : parties) {
        Outcome<CleanupReport> outcome = changeIfPresent(c, partyId, scratch -> scratch.registry().cleanup());
        if (outcome == null) {
          continue;
        }
        removed.addAll(outcome.value().removedPeers());
        disbanded.addAll(outcome.value().disbandedParties());
        events.addAll(outcome.events());
      }
      return new CleanupRun(true, removed, disbanded, events);
    });
  }

  /** {@code locked} is the party's row (null when creating); the change runs on a registry holding only it. */
  private <T> Outcome<T> applyAndWrite(Connection c, ServerStore.PartyRow locked, Step<T> step) throws SQLException {
    Instant now = clock.instant();
    PartyRegistry scratch = new PartyRegistry(settings, clock, random);
    List<StoredEvent> events = new ArrayList<>();
    EventHub hub = new EventHub(scratch, 1,
        (partyId, seq, frame, recipients) -> events.add(new StoredEvent(partyId, seq, frame, recipients)));
    Set<String> codesBefore = Set.of();
    if (locked != null) {
      PartyEntry entry = SharedPartyRows.entry(c, locked, now);
      codesBefore = PartyCodes.codesOf(locked.partyId(), entry.invites());
      scratch.restore(new RegistrySnapshot(List.of(entry)));
      hub.restore(scratch.getParty(locked.partyId()).orElseThrow(), locked.seq());
    }
    scratch.addListener(hub);
    SharedMembership membership = new SharedMembership(c, now);
    scratch.addListener(membership);
    T value = step.apply(new Scratch(scratch, hub, membership));

    Map<String, Boolean> touched = new LinkedHashMap<>();
    if (locked != null) {
      touched.put(locked.partyId(), true);
    }
    events.forEach(e -> touched.putIfAbsent(e.partyId(), false));
    List<Committed> parties = new ArrayList<>();
    for (Map.Entry<String, Boolean> party : touched.entrySet()) {
      SharedPartyRows.write(c, scratch, hub, party.getKey(), party.getValue() ? codesBefore : Set.of(), now);
      parties.add(new Committed(party.getKey(), scratch.getParty(party.getKey()).orElse(null), hub.seqOf(party.getKey())));
    }
    membership.write();
    insertEvents(c, events, now);
    return new Outcome<>(value, List.copyOf(events), List.copyOf(parties));
  }

  /** Inserts the events and notifies each touched party's newest number (delivered when the transaction commits). */
  private static void insertEvents(Connection c, List<StoredEvent> events, Instant now) throws SQLException {
    Map<String, Long> newest = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO party_events(party_id, seq, frame, recipients, created_at) VALUES (?, ?, ?, ?, ?)")) {
      for (StoredEvent e : events) {
        ps.setString(1, e.partyId());
        ps.setLong(2, e.seq());
        ps.setString(3, e.frame());
        ps.setString(4, recipientsJson(e.recipients()));
        ps.setObject(5, SharedPartyRows.utc(now));
        ps.addBatch();
        newest.put(e.partyId(), e.seq());
      }
      ps.executeBatch();
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
      for (Map.Entry<String, Long> e : newest.entrySet()) {
        ps.setString(1, CHANNEL);
        ps.setString(2, e.getKey() + ":" + e.getValue());
        ps.execute();
      }
    }
  }

  private static String recipientsJson(Set<String> recipients) {
    try {
      return Json.mapper().writeValueAsString(new TreeSet<>(recipients));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise event recipients", e);
    }
  }

  static List<String> recipients(String json) {
    try {
      return Json.mapper().readValue(json, STRINGS);
    } catch (JsonProcessingException e) {
      throw PartyException.of(Reason.STORAGE, "a stored event's recipients are unreadable: " + e.getOriginalMessage());
    }
  }
}
