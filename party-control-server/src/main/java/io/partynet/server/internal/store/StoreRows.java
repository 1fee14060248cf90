package io.partynet.server.internal.store;

import io.partynet.server.internal.store.ServerStore.AccountRow;
import io.partynet.server.internal.store.ServerStore.BanRow;
import io.partynet.server.internal.store.ServerStore.CodeChanges;
import io.partynet.server.internal.store.ServerStore.PartyRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rows both stores read and write, in one place: {@link SqliteStore} and {@link PostgresStore}
 * have the same tables and statements and differ only in how a timestamp column is held (ISO-8601
 * text in SQLite, {@code timestamptz} in PostgreSQL) and in how they get a connection and a
 * transaction, which stays theirs. Every method works on the connection it is given and neither
 * commits nor rolls back. Immutable and thread-safe.
 */
final class StoreRows {

  /** How a timestamp column is written and read. */
  private interface Timestamps {
    void set(PreparedStatement ps, int index, Instant instant) throws SQLException;

    /** The column's instant; null when the column is null. */
    Instant get(ResultSet rs, int column) throws SQLException;

    /** A condition true when {@code column} holds an earlier instant than the parameter it ends with. */
    String earlierThanParameter(String column);
  }

  /** SQLite: ISO-8601 text. */
  static final StoreRows TEXT_TIMESTAMPS = new StoreRows(new Timestamps() {
    @Override
    public void set(PreparedStatement ps, int index, Instant instant) throws SQLException {
      ps.setString(index, instant.toString());
    }

    @Override
    public Instant get(ResultSet rs, int column) throws SQLException {
      String text = rs.getString(column);
      return text == null ? null : Instant.parse(text);
    }

    @Override
    public String earlierThanParameter(String column) {
      // ISO-8601 texts of varying precision ("...30Z", "...30.5Z") do not sort as text: compare as time.
      return "julianday(" + column + ") < julianday(?)";
    }
  });

  /** PostgreSQL: {@code timestamptz}. */
  static final StoreRows TIMESTAMPTZ = new StoreRows(new Timestamps() {
    @Override
    public void set(PreparedStatement ps, int index, Instant instant) throws SQLException {
      ps.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    @Override
    public Instant get(ResultSet rs, int column) throws SQLException {
      OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
      return time == null ? null : time.toInstant();
    }

    @Override
    public String earlierThanParameter(String column) {
      return column + " < ?";
    }
  });

  private final Timestamps timestamps;

  private StoreRows(Timestamps timestamps) {
    this.timestamps = timestamps;
  }

  void insertAccount(Connection c, AccountRow row) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO peers(peer_id, public_key, token_hash, registered_at, last_used) VALUES (?, ?, ?, ?, ?)")) {
      ps.setString(1, row.peerId());
      ps.setString(2, row.publicKey());
      ps.setString(3, row.tokenHash());
      timestamps.set(ps, 4, row.registeredAt());
      timestamps.set(ps, 5, row.lastUsed());
      ps.executeUpdate();
    }
  }

  void replaceToken(Connection c, String peerId, String tokenHash) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE peers SET token_hash = ? WHERE peer_id = ?")) {
      ps.setString(1, tokenHash);
      ps.setString(2, peerId);
      ps.executeUpdate();
    }
  }

  /**
   * Moves each peer's last use forward to the given time, never back: instances (and requests)
   * that write their uses late must not overwrite a newer use with an older one.
   */
  void updateAccounts(Connection c, Map<String, Instant> lastUsed, List<String> expired) throws SQLException {
    try (PreparedStatement used = c.prepareStatement("UPDATE peers SET last_used = ? WHERE peer_id = ?"
            + " AND (last_used IS NULL OR " + timestamps.earlierThanParameter("last_used") + ")");
        PreparedStatement del = c.prepareStatement("DELETE FROM peers WHERE peer_id = ?")) {
      for (Map.Entry<String, Instant> e : lastUsed.entrySet()) {
        timestamps.set(used, 1, e.getValue());
        used.setString(2, e.getKey());
        timestamps.set(used, 3, e.getValue());
        used.addBatch();
      }
      for (String peerId : expired) {
        del.setString(1, peerId);
        del.addBatch();
      }
      used.executeBatch();
      del.executeBatch();
    }
  }

  /** Every registration; one without a last use (a database of the first release) counts as used when registered. */
  List<AccountRow> loadAccounts(Connection c) throws SQLException {
    return query(c, "SELECT peer_id, public_key, token_hash, registered_at, last_used FROM peers", rs -> {
      Instant registered = timestamps.get(rs, 4);
      Instant used = timestamps.get(rs, 5);
      return new AccountRow(rs.getString(1), rs.getString(2), rs.getString(3), registered,
          used == null ? registered : used);
    });
  }

  /** Adds kicks; a kick already stored for that party and peer is replaced. */
  void insertBans(Connection c, List<BanRow> rows) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO bans(party_id, peer_id, public_key) VALUES (?, ?, ?)"
        + " ON CONFLICT (party_id, peer_id) DO UPDATE SET public_key = excluded.public_key")) {
      for (BanRow row : rows) {
        ps.setString(1, row.partyId());
        ps.setString(2, row.peerId());
        ps.setString(3, row.publicKey());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  List<BanRow> loadBans(Connection c) throws SQLException {
    return query(c, "SELECT party_id, peer_id, public_key FROM bans",
        rs -> new BanRow(rs.getString(1), rs.getString(2), rs.getString(3)));
  }

  List<PartyRow> loadParties(Connection c) throws SQLException {
    return query(c, "SELECT party_id, seq, state, invites FROM parties",
        rs -> new PartyRow(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4)));
  }

  /** Upserts {@code upserts}, deletes {@code deletions} with their kicks and codes, and applies {@code codes}. */
  void writeParties(Connection c, List<PartyRow> upserts, List<String> deletions, CodeChanges codes, Instant now)
      throws SQLException {
    try (PreparedStatement up = c.prepareStatement(
            "INSERT INTO parties(party_id, seq, state, updated_at, invites) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT (party_id) DO UPDATE SET seq = excluded.seq, state = excluded.state,"
                + " updated_at = excluded.updated_at, invites = excluded.invites");
        PreparedStatement del = c.prepareStatement("DELETE FROM parties WHERE party_id = ?");
        PreparedStatement unban = c.prepareStatement("DELETE FROM bans WHERE party_id = ?")) {
      for (PartyRow row : upserts) {
        up.setString(1, row.partyId());
        up.setLong(2, row.seq());
        up.setString(3, row.stateJson());
        timestamps.set(up, 4, now);
        up.setString(5, row.invitesJson());
        up.addBatch();
      }
      for (String id : deletions) {
        del.setString(1, id);
        del.addBatch();
        unban.setString(1, id);
        unban.addBatch();
      }
      up.executeBatch();
      del.executeBatch();
      unban.executeBatch();
    }
    for (String id : deletions) {
      PartyCodes.forget(c, id);
    }
    if (!codes.dropped().isEmpty()) {
      PartyCodes.drop(c, codes.dropped());
    }
    if (!codes.added().isEmpty()) {
      PartyCodes.record(c, codes.added());
    }
  }

  /** Whether the shutdown marker says clean ({@code lockClause} e.g. {@code FOR UPDATE}); absent counts as clean. */
  static boolean readCleanShutdown(Connection c, String lockClause) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT value FROM meta WHERE key = 'clean_shutdown'" + lockClause)) {
      return !rs.next() || Boolean.parseBoolean(rs.getString(1));
    }
  }

  static void setMeta(Connection c, String key, String value) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
      ps.setString(1, key);
      ps.setString(2, value);
      ps.executeUpdate();
    }
  }

  /** One row of a result set as a value. */
  private interface RowReader<T> {
    T read(ResultSet row) throws SQLException;
  }

  private static <T> List<T> query(Connection c, String sql, RowReader<T> reader) throws SQLException {
    List<T> rows = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        rows.add(reader.read(rs));
      }
    }
    return rows;
  }
}
