package io.partynet.server.internal.parties;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.partynet.DisbandReason;
import io.partynet.Invite;
import io.partynet.LeaveReason;
import io.partynet.Party;
import io.partynet.PartyInfo;
import io.partynet.Peer;
import io.partynet.core.internal.json.Json;
import io.partynet.core.internal.registry.PartyEntry;
import io.partynet.core.internal.registry.PartyRegistry;
import io.partynet.core.internal.registry.RegistryListener;
import io.partynet.core.internal.registry.RegistrySnapshot;
import io.partynet.server.internal.store.PartyCodes;
import io.partynet.server.internal.store.ServerStore;
import io.partynet.server.internal.store.ServerStore.CodeChanges;
import io.partynet.server.internal.store.ServerStore.PartyCode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ObjLongConsumer;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the database in step with the registry: every change marks its party dirty, and
 * {@link #flush()} writes the dirty parties (state and event sequence number) in one transaction.
 * The server flushes before it answers each changing request, so an acknowledged change is on
 * disk; changes made by the cleanup task are flushed right after it runs. Heartbeat times are not
 * written (that would be a write per heartbeat): on restore every member gets a fresh last-seen
 * time, that is one full stale timeout to heartbeat again.
 *
 * <p>Thread-safe: marking is lock-free for callers, flushing is serialised.
 */
public final class RegistryPersistence implements RegistryListener {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryPersistence.class);

  private final PartyRegistry registry;
  private final Sequences sequences;
  private final ServerStore store;
  private final Clock clock;
  private final Set<String> dirty = new LinkedHashSet<>();
  /** Marks made so far (guarded by {@code dirty}): a flush that took the dirty set at mark n wrote every change marked up to n. */
  private long marks;
  /** The mark count the last successful flush covered (guarded by this). */
  private long flushedThrough;
  /**
   * The codes (id and invite codes) each stored party has in {@code party_codes} (guarded by this):
   * a flush writes code rows only for a party whose codes differ, that is one just created or one
   * that issued an invite, not for every change (see {@link PartyCodes}).
   */
  private final Map<String, Set<String>> storedCodes = new HashMap<>();

  /**
   * Each party's event sequence number, which the event hub keeps: read when a party is written,
   * set when one is restored (two functions, so persistence depends on nothing else of the hub).
   */
  public interface Sequences {
    /** The number to store with the party; -1 when it no longer exists. */
    long seqOf(String partyId);

    /** Hands a restored party and its stored number to the hub. */
    void restore(PartyInfo party, long seq);

    static Sequences of(ToLongFunction<String> seqOf, ObjLongConsumer<PartyInfo> restore) {
      return new Sequences() {
        @Override
        public long seqOf(String partyId) {
          return seqOf.applyAsLong(partyId);
        }

        @Override
        public void restore(PartyInfo party, long seq) {
          restore.accept(party, seq);
        }
      };
    }
  }

  public RegistryPersistence(PartyRegistry registry, Sequences sequences, ServerStore store, Clock clock) {
    this.registry = registry;
    this.sequences = sequences;
    this.store = store;
    this.clock = clock;
  }

  /**
   * How far every party's sequence number moves forward when the server starts after a crash:
   * more events than can ever be unwritten at a crash (changing requests are written before they
   * are answered; only the events of one cleanup run, at most one per member, can be in flight).
   * So a number a client saw before the crash is below every number issued after it, and such a
   * client gets a snapshot on resume instead of silently skipping events that reused its numbers.
   */
  public static final long CRASH_SEQ_JUMP = 1L << 20;

  /**
   * Loads every stored party into the registry and its sequence number into the hub; returns how many were restored. After
   * a crash ({@code crashed}), every party's sequence number moves forward by {@link #CRASH_SEQ_JUMP}
   * and is written back at once, so a second crash cannot hand out the same numbers again.
   */
  public int restore(boolean crashed) {
    List<PartyEntry> entries = new ArrayList<>();
    Map<String, Long> seqs = new HashMap<>();
    Instant now = clock.instant();
    for (ServerStore.PartyRow row : store.loadParties()) {
      try {
        PartyEntry entry = entryOf(row, now);
        entries.add(entry);
        seqs.put(entry.party().id(), crashed ? Math.addExact(row.seq(), CRASH_SEQ_JUMP) : row.seq());
      } catch (JsonProcessingException | RuntimeException e) {
        LOG.atError().setMessage("stored party is unreadable and was skipped (the row is kept)")
            .addKeyValue("party", row.partyId()).addKeyValue("error", e.getMessage()).log();
      }
    }
    registry.restore(new RegistrySnapshot(entries));
    rememberStoredCodes(entries);
    for (PartyEntry e : entries) {
      Optional<PartyInfo> info = registry.getParty(e.party().id());
      info.ifPresent(i -> sequences.restore(i, seqs.get(i.partyId())));
      if (crashed) {
        mark(e.party().id());
      }
    }
    flush();
    return entries.size();
  }

  private synchronized void rememberStoredCodes(List<PartyEntry> entries) {
    for (PartyEntry e : entries) {
      storedCodes.put(e.party().id(), PartyCodes.codesOf(e.party().id(), e.invites()));
    }
  }

  @Override
  public void onPeerJoined(String partyId, Peer peer) {
    mark(partyId);
  }

  @Override
  public void onPeerLeft(String partyId, Peer peer, LeaveReason reason) {
    mark(partyId);
  }

  @Override
  public void onPeerUpdated(String partyId, Peer peer) {
    mark(partyId);
  }

  @Override
  public void onPartyDisbanded(String partyId, DisbandReason reason) {
    mark(partyId);
  }

  @Override
  public void onInvitesChanged(String partyId) {
    mark(partyId);
  }

  /** Marks a party whose sequence number moved without a registry change (a signal). */
  void mark(String partyId) {
    synchronized (dirty) {
      dirty.add(partyId);
      marks++;
    }
  }

  /**
   * Writes every dirty party; a failure keeps them dirty and is rethrown as a STORAGE error. A group
   * commit: when a flush that started after the caller's changes were marked has already written
   * them, the caller returns at once. (Without that, each of the threads queued here wrote again
   * whatever few parties were marked meanwhile, one transaction per request: under 200 changes a
   * second on PostgreSQL the queue grew to seconds, see docs/server.md, load benchmark.)
   */
  public void flush() {
    long mine;
    synchronized (dirty) {
      mine = marks;
    }
    flushThrough(mine);
  }

  private synchronized void flushThrough(long mine) {
    if (flushedThrough >= mine) {
      return;
    }
    List<String> ids;
    long covered;
    synchronized (dirty) {
      covered = marks;
      if (dirty.isEmpty()) {
        flushedThrough = covered;
        return;
      }
      ids = new ArrayList<>(dirty);
      dirty.clear();
    }
    List<ServerStore.PartyRow> upserts = new ArrayList<>();
    List<String> deletions = new ArrayList<>();
    Map<String, Set<String>> changedCodes = new HashMap<>();
    List<PartyCode> codesAdded = new ArrayList<>();
    List<PartyCode> codesDropped = new ArrayList<>();
    try {
      for (String id : ids) {
        // The sequence number is read before the state, so the stored number never claims an
        // event whose change is missing from the stored state.
        long seq = sequences.seqOf(id);
        Optional<PartyInfo> info = registry.getParty(id);
        if (info.isEmpty() || seq < 0) {
          deletions.add(id);
          continue;
        }
        List<Invite> invites = registry.invites(id);
        upserts.add(rowOf(info.get(), seq, invites));
        Set<String> codes = PartyCodes.codesOf(id, invites);
        Set<String> before = storedCodes.getOrDefault(id, Set.of());
        if (!codes.equals(before)) {
          CodeChanges change = PartyCodes.changes(id, before, codes);
          codesAdded.addAll(change.added());
          codesDropped.addAll(change.dropped());
          changedCodes.put(id, codes);
        }
      }
      CodeChanges codes = changedCodes.isEmpty() ? CodeChanges.NONE : new CodeChanges(codesAdded, codesDropped);
      store.writeParties(upserts, deletions, codes, clock.instant());
      storedCodes.putAll(changedCodes);
      deletions.forEach(storedCodes::remove);
      flushedThrough = covered;
    } catch (RuntimeException e) {
      synchronized (dirty) {
        dirty.addAll(ids);
      }
      throw e;
    }
  }

  private static final TypeReference<List<Invite>> INVITES = new TypeReference<>() {};

  /**
   * A stored party as a registry entry; every member counts as seen at {@code now} (heartbeat times
   * are not stored), so each gets one full stale timeout to heartbeat again.
   */
  public static PartyEntry entryOf(ServerStore.PartyRow row, Instant now) throws JsonProcessingException {
    Party party = Json.mapper().readValue(row.stateJson(), Party.class);
    Map<String, Instant> fresh = new HashMap<>();
    for (String peerId : party.peers().keySet()) {
      fresh.put(peerId, now);
    }
    return new PartyEntry(party, fresh, invites(row.invitesJson()));
  }

  /** The row that stores {@code info} with its sequence number and invites. */
  public static ServerStore.PartyRow rowOf(PartyInfo info, long seq, List<Invite> invites) {
    return new ServerStore.PartyRow(info.partyId(), seq, stateJson(info.toParty()), invitesJson(info.partyId(), invites));
  }

  private static String invitesJson(String partyId, List<Invite> invites) {
    try {
      return Json.mapper().writeValueAsString(invites);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise the invites of party " + partyId, e);
    }
  }

  /** The stored invites; none for a row from before invites existed. */
  private static List<Invite> invites(String json) throws JsonProcessingException {
    return json == null ? List.of() : Json.mapper().readValue(json, INVITES);
  }

  /** Stored state uses the SDK's state-file JSON (core's {@code Json}), not the wire format. */
  private static String stateJson(Party party) {
    try {
      return Json.mapper().writeValueAsString(party);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise party " + party.id(), e);
    }
  }
}
