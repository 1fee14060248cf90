package io.partynet.server.internal.parties.shared;

import io.partynet.DisbandReason;
import io.partynet.LeaveReason;
import io.partynet.PartyException;
import io.partynet.PartyException.Reason;
import io.partynet.Peer;
import io.partynet.core.internal.registry.RegistryListener;
import io.partynet.protocol.internal.IdempotencyKey;
import io.partynet.protocol.internal.Protocol;
import io.partynet.server.internal.parties.JoinKeys;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * What instances sharing one database must decide from the database rather than from memory, inside
 * the transaction of a party change ({@link PartyTransactions}): kicks (table {@code bans}), how
 * many parties a peer is in (rows of {@code member_seen}, counted under a per-peer advisory lock so
 * two instances cannot both admit a peer's ninth party), and join idempotency keys (table
 * {@code join_keys}: the shared form of {@link JoinKeys}). As a listener of the transaction's
 * scratch registry it records kicks and withdraws the keys of memberships that end; {@link #write()}
 * stores that in the same transaction. One instance per transaction; not thread-safe.
 */
final class SharedMembership implements RegistryListener {
  /** "PNpeer" in ASCII: the first key of the advisory lock that serialises one peer's admissions. */
  private static final int PEER_LOCK_SPACE = 0x504e7065;

  private record Left(String partyId, Peer peer, LeaveReason reason) {}

  private final Connection c;
  private final Instant now;
  private final List<Left> left = new ArrayList<>();
  private final List<String> disbanded = new ArrayList<>();

  SharedMembership(Connection c, Instant now) {
    this.c = c;
    this.now = now;
  }

  /** True when this peer id or this key was kicked from the party. */
  boolean isBanned(String partyId, String peerId, String publicKey) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT 1 FROM bans WHERE party_id = ? AND (peer_id = ? OR public_key = ?) LIMIT 1")) {
      ps.setString(1, partyId);
      ps.setString(2, peerId);
      ps.setString(3, publicKey);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /**
   * Refuses a peer already in {@link Protocol#MAX_PARTIES_PER_PEER} parties. Takes the peer's
   * advisory lock first (held until the transaction ends), so the count includes every admission
   * of this peer committed by any instance, and none can commit between the count and this change.
   */
  void requireRoomForAnotherParty(String peerId) throws SQLException {
    try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
      lock.setInt(1, PEER_LOCK_SPACE);
      lock.setString(2, peerId);
      lock.execute();
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM member_seen WHERE peer_id = ?")) {
      ps.setString(1, peerId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        if (rs.getInt(1) >= Protocol.MAX_PARTIES_PER_PEER) {
          throw PartyException.of(Reason.ALREADY_IN_PARTY, "a peer may be in at most "
              + Protocol.MAX_PARTIES_PER_PEER + " parties; leave one first");
        }
      }
    }
  }

  /** As {@link JoinKeys#requireNotWithdrawn}, for keys withdrawn through any instance. */
  void requireNotWithdrawn(String partyId, String peerId, IdempotencyKey key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT 1 FROM join_keys WHERE peer_id = ? AND join_key = ? AND withdrawn_until > ?")) {
      ps.setString(1, peerId);
      ps.setString(2, key.value());
      ps.setObject(3, utc(now));
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          throw PartyException.of(Reason.STALE_JOIN, "a late copy of a join by " + peerId + " to party " + partyId
              + " was refused: that membership has already ended; send a new join (with a new "
              + Protocol.IDEMPOTENCY_KEY + ") to join again");
        }
      }
    }
  }

  /**
   * {@code key} admitted (or repeated) the membership of {@code peerId} in {@code partyId}; beyond
   * {@link JoinKeys#KEYS_PER_MEMBERSHIP} keys the oldest are withdrawn already, as in memory.
   */
  void admitted(String partyId, String peerId, IdempotencyKey key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO join_keys(peer_id, join_key, party_id, admitted_at) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (peer_id, join_key) DO NOTHING")) {
      ps.setString(1, peerId);
      ps.setString(2, key.value());
      ps.setString(3, partyId);
      ps.setObject(4, utc(now));
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE join_keys SET withdrawn_until = ? WHERE peer_id = ? AND join_key IN (SELECT join_key FROM join_keys"
            + " WHERE party_id = ? AND peer_id = ? AND withdrawn_until IS NULL"
            + " ORDER BY admitted_at DESC, join_key OFFSET ?)")) {
      ps.setObject(1, utc(now.plus(JoinKeys.DEFAULT_WITHDRAWN_FOR)));
      ps.setString(2, peerId);
      ps.setString(3, partyId);
      ps.setString(4, peerId);
      ps.setInt(5, JoinKeys.KEYS_PER_MEMBERSHIP);
      ps.executeUpdate();
    }
  }

  @Override
  public void onPeerLeft(String partyId, Peer peer, LeaveReason reason) {
    left.add(new Left(partyId, peer, reason));
  }

  @Override
  public void onPartyDisbanded(String partyId, DisbandReason reason) {
    disbanded.add(partyId);
  }

  /** Stores what the change did: kicks become bans, ended memberships' keys are withdrawn. */
  void write() throws SQLException {
    for (Left l : left) {
      if (l.reason() == LeaveReason.KICKED) {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO bans(party_id, peer_id, public_key) VALUES (?, ?, ?)"
            + " ON CONFLICT (party_id, peer_id) DO UPDATE SET public_key = EXCLUDED.public_key")) {
          ps.setString(1, l.partyId());
          ps.setString(2, l.peer().id());
          ps.setString(3, l.peer().publicKey());
          ps.executeUpdate();
        }
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE join_keys SET withdrawn_until = ?"
          + " WHERE party_id = ? AND peer_id = ? AND withdrawn_until IS NULL")) {
        ps.setObject(1, utc(now.plus(JoinKeys.DEFAULT_WITHDRAWN_FOR)));
        ps.setString(2, l.partyId());
        ps.setString(3, l.peer().id());
        ps.executeUpdate();
      }
    }
    for (String partyId : disbanded) {
      // A disbanded party is not found any more, so a late join to it is refused without its keys.
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM join_keys WHERE party_id = ? AND withdrawn_until IS NULL")) {
        ps.setString(1, partyId);
        ps.executeUpdate();
      }
    }
  }

  /** Forgets keys whose withdrawal has run out (the deployment's cleanup run calls it). */
  static int forgetExpiredKeys(Connection c, Instant now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM join_keys WHERE withdrawn_until <= ?")) {
      ps.setObject(1, utc(now));
      return ps.executeUpdate();
    }
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
