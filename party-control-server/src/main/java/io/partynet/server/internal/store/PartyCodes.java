package io.partynet.server.internal.store;

import io.partynet.Invite;
import io.partynet.server.internal.store.ServerStore.CodeChanges;
import io.partynet.server.internal.store.ServerStore.PartyCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The table {@code party_codes}: every code that names a party, its id and each of its invite codes
 * (live or revoked), under a primary key, so a code names at most one party in the whole
 * deployment and the party of a code is one index lookup. The table holds exactly the codes of the
 * stored parties' invites: a code is recorded when its party is created or issues it, and goes
 * when its party goes or when it makes room for a newer invite (a party keeps at most 64). A
 * change that issues no code touches no row here. Both stores keep the table; with
 * {@code --shared} a code another instance took first is refused here and drawn again (see
 * {@code PartyTransactions}). Stateless; every method works on the connection it is given inside
 * the caller's transaction.
 */
public final class PartyCodes {
  private static final String CLAIM = "INSERT INTO party_codes(code, party_id) VALUES (?, ?) ON CONFLICT DO NOTHING";

  private PartyCodes() {}

  /**
   * Records each code as its party's. The caller's registry holds every party and drew the codes
   * unused by all of them, so it decides: a row left naming another party (by a server before the
   * table was kept exact) is taken over.
   */
  static void record(Connection c, Collection<PartyCode> codes) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO party_codes(code, party_id) VALUES (?, ?)"
        + " ON CONFLICT (code) DO UPDATE SET party_id = excluded.party_id")) {
      for (PartyCode code : codes) {
        ps.setString(1, code.code());
        ps.setString(2, code.partyId());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Forgets each code that still names its party (an old invite made room for a new one). */
  public static void drop(Connection c, Collection<PartyCode> codes) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM party_codes WHERE code = ? AND party_id = ?")) {
      for (PartyCode code : codes) {
        ps.setString(1, code.code());
        ps.setString(2, code.partyId());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Claims {@code code} for {@code partyId}; false when it names another party already. */
  public static boolean claim(Connection c, String partyId, String code) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
      ps.setString(1, code);
      ps.setString(2, partyId);
      if (ps.executeUpdate() == 1) {
        return true;
      }
    }
    return owner(c, code).map(partyId::equals).orElse(false);
  }

  /** Forgets every code of {@code partyId} (the party is gone). */
  static void forget(Connection c, String partyId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM party_codes WHERE party_id = ?")) {
      ps.setString(1, partyId);
      ps.executeUpdate();
    }
  }

  /** The party {@code code} (normalised) names, if any. */
  static Optional<String> owner(Connection c, String code) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT party_id FROM party_codes WHERE code = ?")) {
      ps.setString(1, code);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  /** The codes a party with {@code invites} is named by: its id and each invite's code. */
  public static Set<String> codesOf(String partyId, List<Invite> invites) {
    if (invites.isEmpty()) {
      return Set.of(partyId);
    }
    Set<String> codes = new LinkedHashSet<>();
    codes.add(partyId);
    invites.forEach(invite -> codes.add(invite.code()));
    return codes;
  }

  /** What turning {@code before} into {@code after} does to {@code partyId}'s rows; {@link CodeChanges#NONE} when equal. */
  public static CodeChanges changes(String partyId, Set<String> before, Set<String> after) {
    if (before.equals(after)) {
      return CodeChanges.NONE;
    }
    List<PartyCode> added = new ArrayList<>();
    List<PartyCode> dropped = new ArrayList<>();
    after.stream().filter(code -> !before.contains(code)).forEach(code -> added.add(new PartyCode(code, partyId)));
    before.stream().filter(code -> !after.contains(code)).forEach(code -> dropped.add(new PartyCode(code, partyId)));
    return new CodeChanges(added, dropped);
  }
}
