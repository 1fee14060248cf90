package io.partynet.server.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.partynet.PartyException;
import io.partynet.PartyException.Reason;
import io.partynet.PartyNotFoundException;
import io.partynet.core.internal.json.Json;
import io.partynet.core.internal.registry.PartyEntry;
import io.partynet.core.internal.registry.PartyRegistry;
import io.partynet.core.internal.registry.RegistrySettings;
import io.partynet.core.internal.registry.RegistrySnapshot;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

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
 * {@link #eventsAfter}. Thread-safe: each call is its own transaction.
 */
public final class PartyTransactions {
  /** The LISTEN/NOTIFY channel of committed party changes. */
  static final String CHANNEL = "partynet_events";
  private static final int CREATE_ATTEMPTS = 5;
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  /** A change applied to the scratch registry holding the locked party (and its event hub). */
  public interface Change<T> {
    T apply(PartyRegistry registry, EventHub hub);
  }

  /** One numbered event as stored: the frame sent to {@code recipients}. */
  public record StoredEvent(String partyId, long seq, String frame, Set<String> recipients) {}

  /** What a committed change answered and the events it wrote. */
  public record Outcome<T>(T value, List<StoredEvent> events) {}

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
    return store.transaction("change party " + partyId, c -> {
      ServerStore.PartyRow row = lock(c, partyId);
      if (row == null) {
        throw new PartyNotFoundException(partyId);
      }
      return applyAndWrite(c, row, change);
    });
  }

  /**
   * Applies {@code change}, which creates a party, to an empty scratch registry and inserts the new
   * party; a party id already taken (now or by a past party whose events are kept) is drawn again.
   */
  public <T> Outcome<T> create(Change<T> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        return store.transaction("create a party", c -> applyAndWrite(c, null, change));
      } catch (PartyIdTaken e) {
        if (attempt == CREATE_ATTEMPTS) {
          throw PartyException.of(Reason.INTERNAL, "could not draw an unused party id; try again");
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
        ps.setObject(1, OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC));
        return ps.executeUpdate();
      }
    });
  }

  private static ServerStore.PartyRow lock(Connection c, String partyId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT seq, state, invites FROM parties WHERE party_id = ? FOR UPDATE")) {
      ps.setString(1, partyId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new ServerStore.PartyRow(partyId, rs.getLong(1), rs.getString(2), rs.getString(3)) : null;
      }
    }
  }

  /** {@code locked} is the party's row (null when creating); the change runs on a registry holding only it. */
  private <T> Outcome<T> applyAndWrite(Connection c, ServerStore.PartyRow locked, Change<T> change) throws SQLException {
    Instant now = clock.instant();
    PartyRegistry scratch = new PartyRegistry(settings, clock, random);
    List<StoredEvent> events = new ArrayList<>();
    EventHub hub = new EventHub(scratch, 1,
        (partyId, seq, frame, recipients) -> events.add(new StoredEvent(partyId, seq, frame, recipients)));
    if (locked != null) {
      scratch.restore(new RegistrySnapshot(List.of(entry(locked, now))));
      hub.restore(scratch.getParty(locked.partyId()).orElseThrow(), locked.seq());
    }
    scratch.addListener(hub);
    T value = change.apply(scratch, hub);

    Map<String, Boolean> touched = new LinkedHashMap<>();
    if (locked != null) {
      touched.put(locked.partyId(), true);
    }
    events.forEach(e -> touched.putIfAbsent(e.partyId(), false));
    for (Map.Entry<String, Boolean> party : touched.entrySet()) {
      writeParty(c, scratch, hub, party.getKey(), party.getValue(), now);
    }
    insertEvents(c, events, now);
    return new Outcome<>(value, List.copyOf(events));
  }

  private static PartyEntry entry(ServerStore.PartyRow row, Instant now) {
    try {
      return RegistryPersistence.entryOf(row, now);
    } catch (JsonProcessingException e) {
      throw PartyException.of(Reason.STORAGE, "the stored state of party " + row.partyId() + " is unreadable: "
          + e.getOriginalMessage());
    }
  }

  private static void writeParty(Connection c, PartyRegistry scratch, EventHub hub, String partyId, boolean existed,
      Instant now) throws SQLException {
    var info = scratch.getParty(partyId);
    if (info.isEmpty()) {
      try (PreparedStatement party = c.prepareStatement("DELETE FROM parties WHERE party_id = ?");
          PreparedStatement bans = c.prepareStatement("DELETE FROM bans WHERE party_id = ?")) {
        party.setString(1, partyId);
        party.executeUpdate();
        bans.setString(1, partyId);
        bans.executeUpdate();
      }
      return;
    }
    ServerStore.PartyRow row = RegistryPersistence.rowOf(info.get(), hub.seqOf(partyId), scratch.invites(partyId));
    if (!existed && eventsExist(c, partyId)) {
      throw new PartyIdTaken();
    }
    String sql = existed
        ? "UPDATE parties SET seq = ?, state = ?, invites = ?, updated_at = ? WHERE party_id = ?"
        : "INSERT INTO parties(seq, state, invites, updated_at, party_id) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, row.seq());
      ps.setString(2, row.stateJson());
      ps.setString(3, row.invitesJson());
      ps.setObject(4, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
      ps.setString(5, partyId);
      if (ps.executeUpdate() != 1) {
        throw new PartyIdTaken();
      }
    }
  }

  private static boolean eventsExist(Connection c, String partyId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM party_events WHERE party_id = ? LIMIT 1")) {
      ps.setString(1, partyId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
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
        ps.setObject(5, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
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

  private static List<String> recipients(String json) {
    try {
      return Json.mapper().readValue(json, STRINGS);
    } catch (JsonProcessingException e) {
      throw PartyException.of(Reason.STORAGE, "a stored event's recipients are unreadable: " + e.getOriginalMessage());
    }
  }

  /** The drawn party id is in use; the transaction rolls back and the id is drawn again. */
  private static final class PartyIdTaken extends RuntimeException {
    PartyIdTaken() {
      super("party id taken", null, false, false);
    }
  }
}
