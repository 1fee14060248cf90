package io.partynet.server.internal.parties;

import io.partynet.DisbandReason;
import io.partynet.LeaveReason;
import io.partynet.PartyException;
import io.partynet.PartyException.Reason;
import io.partynet.Peer;
import io.partynet.core.internal.registry.RegistryListener;
import io.partynet.protocol.internal.IdempotencyKey;
import io.partynet.protocol.internal.Protocol;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which {@link Protocol#IDEMPOTENCY_KEY}s admitted each membership, so that a late copy of a join
 * cannot bring back a member who has left. A client gives up on a join whose answer does not come
 * in time, but a proxy may still deliver that request (or one of its retries) later; without this
 * the copy would re-add the member as a ghost after its leave. While the membership lasts, its
 * keys are retries of the joins that made it and are admitted as such. When it ends (leave, kick,
 * stale removal), its keys are <em>withdrawn</em> for {@link #DEFAULT_WITHDRAWN_FOR}: a join
 * carrying one is refused with {@link Reason#STALE_JOIN}. Keys are scoped to the authenticated
 * peer, so nobody can withdraw another peer's key. Joins without a key are not tracked (clients
 * before revision 4). Kept in memory only: a restarted server forgets them, as it forgets requests
 * in flight. Thread-safe; registry callbacks only take this object's lock.
 */
public final class JoinKeys implements RegistryListener {
  /** Longer than any proxy or load balancer holds a request (their timeouts are minutes). */
  public static final Duration DEFAULT_WITHDRAWN_FOR = Duration.ofMinutes(10);
  /** About 100 bytes each: at most ~10 MB, and 100,000 leaves in 10 minutes is far beyond a real load. */
  static final int DEFAULT_MAX_WITHDRAWN = 100_000;
  /** Joins a member may repeat while in a party before its oldest key is withdrawn early. */
  public static final int KEYS_PER_MEMBERSHIP = 8;

  private static final Logger LOG = LoggerFactory.getLogger(JoinKeys.class);

  private record PeerKey(String peerId, String key) {}

  private final Clock clock;
  private final Duration withdrawnFor;
  private final int maxWithdrawn;
  /** party id -> peer id -> the keys that admitted (or re-admitted) its current membership, oldest first. */
  private final Map<String, Map<String, Deque<String>>> admitted = new HashMap<>();
  /** In the order withdrawn, which is also the order they expire in. */
  private final LinkedHashMap<PeerKey, Instant> withdrawn = new LinkedHashMap<>();

  public JoinKeys(Clock clock) {
    this(clock, DEFAULT_WITHDRAWN_FOR, DEFAULT_MAX_WITHDRAWN);
  }

  public JoinKeys(Clock clock, Duration withdrawnFor, int maxWithdrawn) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.withdrawnFor = Objects.requireNonNull(withdrawnFor, "withdrawnFor");
    if (withdrawnFor.isNegative() || withdrawnFor.isZero() || maxWithdrawn < 1) {
      throw new IllegalArgumentException("withdrawnFor must be positive and maxWithdrawn at least 1");
    }
    this.maxWithdrawn = maxWithdrawn;
  }

  /**
   * The join's key from the values of its {@link Protocol#IDEMPOTENCY_KEY} headers, or null when it
   * has none (clients before revision 4).
   *
   * @throws PartyException {@link Reason#INVALID_ARGUMENT} for a malformed key or more than one header
   */
  public static IdempotencyKey keyOf(Enumeration<String> headerValues) {
    List<String> values = headerValues == null ? List.of() : Collections.list(headerValues);
    if (values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw PartyException.of(Reason.INVALID_ARGUMENT, "send one " + Protocol.IDEMPOTENCY_KEY + " header, not "
          + values.size());
    }
    try {
      return IdempotencyKey.parse(values.get(0));
    } catch (IllegalArgumentException e) {
      throw PartyException.of(Reason.INVALID_ARGUMENT, e.getMessage());
    }
  }

  /**
   * Refuses a join whose key belonged to a membership that has ended.
   *
   * @throws PartyException {@link Reason#STALE_JOIN} for a withdrawn key
   */
  synchronized void requireNotWithdrawn(String partyId, String peerId, IdempotencyKey key) {
    forgetExpired();
    if (withdrawn.containsKey(new PeerKey(peerId, key.value()))) {
      LOG.atInfo().setMessage("late copy of an ended join refused").addKeyValue("party", partyId)
          .addKeyValue("peer", peerId).log();
      throw PartyException.of(Reason.STALE_JOIN, "a late copy of a join by " + peerId + " to party " + partyId
          + " was refused: that membership has already ended; send a new join (with a new "
          + Protocol.IDEMPOTENCY_KEY + ") to join again");
    }
  }

  /** {@code key} admitted the current membership of {@code peerId} in {@code partyId} (or repeated its join). */
  synchronized void admitted(String partyId, String peerId, IdempotencyKey key) {
    Deque<String> keys = admitted.computeIfAbsent(partyId, p -> new HashMap<>())
        .computeIfAbsent(peerId, p -> new ArrayDeque<>());
    if (keys.contains(key.value())) {
      return;
    }
    keys.addLast(key.value());
    if (keys.size() > KEYS_PER_MEMBERSHIP) {
      // A call eight joins ago has long ended; a late copy of it is refused already now.
      withdraw(peerId, keys.removeFirst());
    }
  }

  @Override
  public synchronized void onPeerLeft(String partyId, Peer peer, LeaveReason reason) {
    Map<String, Deque<String>> members = admitted.get(partyId);
    Deque<String> keys = members == null ? null : members.remove(peer.id());
    if (keys != null) {
      keys.forEach(k -> withdraw(peer.id(), k));
      if (members.isEmpty()) {
        admitted.remove(partyId);
      }
    }
  }

  /** A disbanded party is not found any more, so a late join to it is refused without its keys. */
  @Override
  public synchronized void onPartyDisbanded(String partyId, DisbandReason reason) {
    admitted.remove(partyId);
  }

  /** How many keys are withdrawn now (what the bounds hold). */
  synchronized int withdrawnCount() {
    forgetExpired();
    return withdrawn.size();
  }

  private void withdraw(String peerId, String key) {
    PeerKey entry = new PeerKey(peerId, key);
    withdrawn.remove(entry);
    withdrawn.put(entry, clock.instant().plus(withdrawnFor));
    if (withdrawn.size() > maxWithdrawn) {
      Iterator<PeerKey> oldest = withdrawn.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
  }

  private void forgetExpired() {
    Instant now = clock.instant();
    Iterator<Map.Entry<PeerKey, Instant>> it = withdrawn.entrySet().iterator();
    while (it.hasNext()) {
      if (it.next().getValue().isAfter(now)) {
        return;
      }
      it.remove();
    }
  }
}
