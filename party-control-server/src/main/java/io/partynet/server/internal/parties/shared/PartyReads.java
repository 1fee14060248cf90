package io.partynet.server.internal.parties.shared;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.partynet.PartyException;
import io.partynet.PartyException.Reason;
import io.partynet.PartyInfo;
import io.partynet.PartyNotFoundException;
import io.partynet.core.internal.registry.RegistrySettings;
import io.partynet.server.internal.events.StoredEvent;
import io.partynet.server.internal.parties.RegistryPersistence;
import io.partynet.server.internal.store.PostgresStore;
import io.partynet.server.internal.store.ServerStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What instances sharing a database read of the parties as committed ({@link PartyTransactions}
 * writes them): a party with its events after a number, the parties that exist, a peer's parties,
 * the party of an invite code, a member's last-seen time. Each read is its own short transaction
 * and takes no lock. Thread-safe.
 */
final class PartyReads {
  /** A party as committed with its events after some number (see {@link #read}). */
  record Read(PartyTransactions.Committed state, List<StoredEvent> events) {}

  private final PostgresStore store;
  private final RegistrySettings settings;
  private final Clock clock;

  PartyReads(PostgresStore store, RegistrySettings settings, Clock clock) {
    this.store = store;
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * Party {@code partyId} as committed now, with its events numbered after {@code afterSeq} up to
   * that state (all of them once the party is gone), in one consistent read.
   */
  Read read(String partyId, long afterSeq) {
    return store.transaction("read party " + partyId, c -> {
      PartyTransactions.Committed state = new PartyTransactions.Committed(partyId, null, -1);
      try (PreparedStatement ps = c.prepareStatement("SELECT seq, state, invites FROM parties WHERE party_id = ?")) {
        ps.setString(1, partyId);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            ServerStore.PartyRow row = new ServerStore.PartyRow(partyId, rs.getLong(1), rs.getString(2), rs.getString(3));
            state = new PartyTransactions.Committed(partyId, infoOf(row), row.seq());
          }
        }
      }
      List<StoredEvent> events = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT seq, frame, recipients FROM party_events"
          + " WHERE party_id = ? AND seq > ? AND seq <= ? ORDER BY seq")) {
        ps.setString(1, partyId);
        ps.setLong(2, afterSeq);
        ps.setLong(3, state.party() == null ? Long.MAX_VALUE : state.seq());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            events.add(new StoredEvent(partyId, rs.getLong(1), rs.getString(2), Set.copyOf(PartyTransactions.recipients(rs.getString(3)))));
          }
        }
      }
      return new Read(state, events);
    });
  }

  /** The ids of every party that exists now. */
  List<String> partyIds() {
    return strings("list the parties", "SELECT party_id FROM parties ORDER BY party_id", null);
  }

  /** The parties {@code peerId} is a member of now, whichever instance admitted it. */
  List<String> partiesOf(String peerId) {
    return strings("list a peer's parties", "SELECT party_id FROM member_seen WHERE peer_id = ? ORDER BY party_id", peerId);
  }

  /**
   * The party {@code code} (normalised) belongs to: the party id itself, or the party holding it as
   * an invite code, live or not; {@link PartyNotFoundException} when neither.
   */
  String resolve(String code) {
    return store.partyOfCode(code).orElseThrow(() -> new PartyNotFoundException(code));
  }

  /** When a member was last heard from through any instance, if it is a member. */
  java.util.Optional<Instant> lastSeen(String partyId, String peerId) {
    return store.statement("read a member's last-seen time", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT last_seen FROM member_seen WHERE party_id = ? AND peer_id = ?")) {
        ps.setString(1, partyId);
        ps.setString(2, peerId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? java.util.Optional.of(rs.getObject(1, OffsetDateTime.class).toInstant())
              : java.util.Optional.<Instant>empty();
        }
      }
    });
  }

  private List<String> strings(String what, String sql, String parameter) {
    return store.statement(what, c -> {
      List<String> values = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        if (parameter != null) {
          ps.setString(1, parameter);
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            values.add(rs.getString(1));
          }
        }
      }
      return values;
    });
  }

  private PartyInfo infoOf(ServerStore.PartyRow row) {
    try {
      return PartyInfo.of(RegistryPersistence.entryOf(row, clock.instant()).party(), settings.subnet());
    } catch (JsonProcessingException e) {
      throw PartyException.of(Reason.STORAGE, "the stored state of party " + row.partyId() + " is unreadable: "
          + e.getOriginalMessage());
    }
  }
}
