package io.partynet.server.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.partynet.PartyException;
import io.partynet.PartyException.Reason;
import io.partynet.core.internal.json.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The table {@code party_codes}: every code that names a party, its id and each of its invite codes
 * (live or revoked), under a primary key, so a code names at most one party in the whole
 * deployment and the party of a code is one index lookup. Rows go when their party goes. Both
 * stores keep the table; with {@code --shared} a code another instance took first is refused here
 * and drawn again (see {@link PartyTransactions}). Stateless; every method works on the
 * connection it is given inside the caller's transaction.
 */
final class PartyCodes {
  private static final String CLAIM = "INSERT INTO party_codes(code, party_id) VALUES (?, ?) ON CONFLICT DO NOTHING";

  private PartyCodes() {}

  /** Records {@code codes} as {@code partyId}'s; a code already recorded (for any party) is left as it is. */
  static void record(Connection c, String partyId, Collection<String> codes) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
      for (String code : codes) {
        ps.setString(1, code);
        ps.setString(2, partyId);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Claims {@code code} for {@code partyId}; false when it names another party already. */
  static boolean claim(Connection c, String partyId, String code) throws SQLException {
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

  /** The codes a stored party row names: its id and the codes in its invites JSON. */
  static List<String> codesOf(ServerStore.PartyRow row) {
    List<String> codes = new ArrayList<>();
    codes.add(row.partyId());
    codes.addAll(inviteCodes(row.partyId(), row.invitesJson()));
    return codes;
  }

  /** The codes in a party's invites JSON ({@code null}, for a party stored before invites existed, holds none). */
  static List<String> inviteCodes(String partyId, String invitesJson) {
    if (invitesJson == null || invitesJson.equals("[]")) {
      return List.of();
    }
    try {
      List<String> codes = new ArrayList<>();
      for (JsonNode invite : Json.mapper().readTree(invitesJson)) {
        JsonNode code = invite.get("code");
        if (code == null || !code.isTextual()) {
          throw unreadable(partyId, "an invite without a code");
        }
        codes.add(code.asText());
      }
      return codes;
    } catch (JsonProcessingException e) {
      throw unreadable(partyId, e.getOriginalMessage());
    }
  }

  private static PartyException unreadable(String partyId, String why) {
    return PartyException.of(Reason.STORAGE, "the stored invites of party " + partyId + " are unreadable: " + why);
  }
}
