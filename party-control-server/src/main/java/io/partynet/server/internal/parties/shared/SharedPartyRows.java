package io.partynet.server.internal.parties.shared;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.partynet.Invite;
import io.partynet.PartyException;
import io.partynet.PartyException.Reason;
import io.partynet.PartyInfo;
import io.partynet.Peer;
import io.partynet.core.internal.registry.PartyEntry;
import io.partynet.core.internal.registry.PartyRegistry;
import io.partynet.server.internal.events.EventHub;
import io.partynet.server.internal.parties.RegistryPersistence;
import io.partynet.server.internal.store.PartyCodes;
import io.partynet.server.internal.store.ServerStore;
import io.partynet.server.internal.store.ServerStore.CodeChanges;
import io.partynet.server.internal.store.ServerStore.PartyCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One party's rows as a {@link PartyTransactions} change reads and writes them on PostgreSQL,
 * inside the change's transaction: the row lock, the party with its members' last-seen times, and
 * the write of its new state, codes ({@link PartyCodes}) and last-seen rows. A code the change
 * drew that another party holds ends the write with {@link CodeTaken}, and the change is drawn
 * again. Stateless.
 */
final class SharedPartyRows {
  private SharedPartyRows() {}

  static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  /** Locks the party's row until the transaction ends and reads it; null when there is no such party. */
  static ServerStore.PartyRow lock(Connection c, String partyId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT seq, state, invites FROM parties WHERE party_id = ? FOR UPDATE")) {
      ps.setString(1, partyId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new ServerStore.PartyRow(partyId, rs.getLong(1), rs.getString(2), rs.getString(3)) : null;
      }
    }
  }

  /** The locked party with its members' stored last-seen times (a member without one counts as seen now). */
  static PartyEntry entry(Connection c, ServerStore.PartyRow row, Instant now) throws SQLException {
    try {
      PartyEntry stored = RegistryPersistence.entryOf(row, now);
      Map<String, Instant> seen = new LinkedHashMap<>(stored.lastSeen());
      try (PreparedStatement ps = c.prepareStatement("SELECT peer_id, last_seen FROM member_seen WHERE party_id = ?")) {
        ps.setString(1, row.partyId());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            seen.replace(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant());
          }
        }
      }
      return new PartyEntry(stored.party(), seen, stored.invites());
    } catch (JsonProcessingException e) {
      throw PartyException.of(Reason.STORAGE, "the stored state of party " + row.partyId() + " is unreadable: "
          + e.getOriginalMessage());
    }
  }

  /**
   * Writes the scratch registry's {@code partyId}; {@code codesBefore} are the codes it held when
   * locked (none when it is new): each code it has now beyond them is claimed, or the change is
   * drawn again ({@link CodeTaken}); each it no longer has (an old invite made room) is dropped.
   */
  static void write(Connection c, PartyRegistry scratch, EventHub hub, String partyId,
      Set<String> codesBefore, Instant now) throws SQLException {
    boolean existed = !codesBefore.isEmpty();
    var info = scratch.getParty(partyId);
    if (info.isEmpty()) {
      for (String table : List.of("parties", "bans", "member_seen", "party_codes")) {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE party_id = ?")) {
          ps.setString(1, partyId);
          ps.executeUpdate();
        }
      }
      return;
    }
    List<Invite> invites = scratch.invites(partyId);
    ServerStore.PartyRow row = RegistryPersistence.rowOf(info.get(), hub.seqOf(partyId), invites);
    if (!existed && eventsExist(c, partyId)) {
      throw new CodeTaken();
    }
    String sql = existed
        ? "UPDATE parties SET seq = ?, state = ?, invites = ?, updated_at = ? WHERE party_id = ?"
        : "INSERT INTO parties(seq, state, invites, updated_at, party_id) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, row.seq());
      ps.setString(2, row.stateJson());
      ps.setString(3, row.invitesJson());
      ps.setObject(4, utc(now));
      ps.setString(5, partyId);
      if (ps.executeUpdate() != 1) {
        throw new CodeTaken();
      }
    }
    CodeChanges codes = PartyCodes.changes(partyId, codesBefore, PartyCodes.codesOf(partyId, invites));
    for (PartyCode code : codes.added()) {
      if (!PartyCodes.claim(c, partyId, code.code())) {
        throw new CodeTaken();
      }
    }
    if (!codes.dropped().isEmpty()) {
      PartyCodes.drop(c, codes.dropped());
    }
    writeLastSeen(c, scratch, info.get(), now);
  }

  /**
   * Brings the party's last-seen rows to the scratch registry's (joins and updates count as
   * heartbeats): rows of members who left go, the others are upserted, never moved back in time.
   * Upserted, not deleted and inserted again: a heartbeat's UPDATE (which takes no party lock) that
   * waits for this transaction then finds the row's new version, where a deleted row would make it
   * update nothing under READ COMMITTED and a member who is still in the party would be told it is not.
   */
  private static void writeLastSeen(Connection c, PartyRegistry scratch, PartyInfo party, Instant now)
      throws SQLException {
    List<String> members = party.peers().stream().map(Peer::id).toList();
    try (PreparedStatement del = c.prepareStatement(
            "DELETE FROM member_seen WHERE party_id = ? AND NOT (peer_id = ANY (?))");
        PreparedStatement ins = c.prepareStatement("INSERT INTO member_seen(party_id, peer_id, last_seen) VALUES (?, ?, ?)"
            + " ON CONFLICT (party_id, peer_id) DO UPDATE SET last_seen = GREATEST(member_seen.last_seen, EXCLUDED.last_seen)")) {
      del.setString(1, party.partyId());
      del.setArray(2, c.createArrayOf("text", members.toArray()));
      del.executeUpdate();
      for (String member : members) {
        ins.setString(1, party.partyId());
        ins.setString(2, member);
        ins.setObject(3, utc(scratch.lastSeen(party.partyId(), member).orElse(now)));
        ins.addBatch();
      }
      ins.executeBatch();
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

  /** A drawn code (party id or invite code) names another party; the transaction rolls back and the change is drawn again. */
  static final class CodeTaken extends RuntimeException {
    CodeTaken() {
      super("code taken", null, false, false);
    }
  }
}
