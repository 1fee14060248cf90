package io.partynet.server.internal.events;

import io.partynet.DisbandReason;
import io.partynet.LeaveReason;
import io.partynet.PartyException;
import io.partynet.PartyException.Reason;
import io.partynet.PartyInfo;
import io.partynet.Peer;
import io.partynet.core.internal.registry.PartyRegistry;
import io.partynet.core.internal.registry.RegistryListener;
import io.partynet.protocol.internal.EventMessage;
import io.partynet.protocol.internal.PartyResponse;
import io.partynet.protocol.internal.ProtocolJson;
import io.partynet.protocol.internal.ResumeMessage;
import io.partynet.spi.Signal;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns registry changes and signals into numbered events and fans them out to the members'
 * WebSockets. Each party has a sequence number (persisted with the party) and keeps its last
 * {@code replayDepth} events, so a client that reconnects gets exactly what it missed; when the gap
 * is older, it gets a snapshot instead.
 *
 * <p>Who receives what: {@code peer-joined} and {@code peer-updated} go to every other member;
 * {@code peer-left} to the remaining members and to the peer that left (so a kicked peer learns
 * it); {@code party-disbanded} to every member; a signal to its recipient only.
 *
 * <p>Thread-safe. Registry callbacks arrive under the registry's lock and take this hub's lock
 * (registry, then hub: never the other way round). Frames are sent by one sender thread
 * ({@link EventSessions}) in the order the events happened; the recipients of an event are fixed when it happens, so a
 * reconnecting client's replay and the live stream neither overlap out of order nor leave a gap.
 * The parties it holds (each one's log, each peer's parties, the recently disbanded) and what a
 * resuming peer is sent from them are kept by {@link PartyLogs}.
 */
public final class EventHub implements RegistryListener {
  private final PartyRegistry registry;
  private final int replayDepth;
  private final EventSessions sessions = new EventSessions();
  private final PartyLogs logs = new PartyLogs();

  /** Where numbered events are also written, besides the replay buffer (a database, for several instances). */
  public interface EventJournal {
    void record(String partyId, long seq, String frame, Set<String> recipients);
  }

  private final EventJournal journal;

  public EventHub(PartyRegistry registry, int replayDepth) {
    this(registry, replayDepth, (partyId, seq, frame, recipients) -> { });
  }

  public EventHub(PartyRegistry registry, int replayDepth, EventJournal journal) {
    this.registry = registry;
    this.journal = journal;
    if (replayDepth < 1) {
      throw new IllegalArgumentException("replayDepth must be >= 1");
    }
    this.replayDepth = replayDepth;
  }

  /** Registers a party restored from storage, with its persisted sequence number. */
  public synchronized void restore(PartyInfo party, long seq) {
    logs.put(new PartyLog(party, seq));
  }

  // ---- registry events (under the registry's lock) ----

  @Override
  public synchronized void onPeerJoined(String partyId, Peer peer) {
    PartyLog log = logs.get(partyId);
    if (log == null) {
      log = new PartyLog(current(partyId), 0);
      logs.put(log);
    }
    Set<String> others = new HashSet<>(log.members());
    others.remove(peer.id());
    log.info = current(partyId);
    logs.joined(peer.id(), partyId);
    publish(log, others, seq -> EventMessage.peerJoined(partyId, seq, peer));
  }

  @Override
  public synchronized void onPeerLeft(String partyId, Peer peer, LeaveReason reason) {
    PartyLog log = logs.get(partyId);
    if (log == null) {
      return;
    }
    Set<String> recipients = new HashSet<>(log.members());
    recipients.add(peer.id());
    log.info = current(partyId);
    log.rememberFormer(peer.id());
    logs.left(peer.id(), partyId);
    publish(log, recipients, seq -> EventMessage.peerLeft(partyId, seq, peer.id(), reason.wireValue()));
  }

  @Override
  public synchronized void onPeerUpdated(String partyId, Peer peer) {
    PartyLog log = logs.get(partyId);
    if (log == null) {
      return;
    }
    Set<String> others = new HashSet<>(log.members());
    others.remove(peer.id());
    log.info = current(partyId);
    publish(log, others, seq -> EventMessage.peerUpdated(partyId, seq, peer));
  }

  @Override
  public synchronized void onPartyDisbanded(String partyId, DisbandReason reason) {
    PartyLog log = logs.get(partyId);
    if (log == null) {
      return;
    }
    Set<String> members = log.members();
    logs.disband(partyId, reason.wireValue(), members);
    publish(log, members, seq -> EventMessage.partyDisbanded(partyId, seq, reason.wireValue()));
  }

  // ---- changes committed by another instance ----

  /**
   * Fans out events that were committed to the shared database (by any instance, see
   * {@code PartyTransactions}) with the numbers they were given there, in order, and makes
   * {@code party} (committed at number {@code partySeq}; {@code null}: it is gone) the party's
   * current state. {@code events} are the party's events after some number, oldest first.
   * Events numbered at or below what this hub holds were applied already and are skipped, so a
   * change learnt twice (its own answer and the database's notice) is sent once; a state older
   * than what the hub holds is ignored. Answers false, having applied what came before, when
   * {@code events} leave a gap after the hub's number or end before {@code partySeq}: the caller
   * then reads the party's events after {@link #seqOf} from the database and applies them.
   */
  public synchronized boolean applyCommitted(String partyId, PartyInfo party, long partySeq,
      List<StoredEvent> events) {
    PartyLog log = logs.get(partyId);
    if (log == null) {
      if (party == null) {
        return true;
      }
      // A party new to this hub: its numbering starts just before the first event given.
      log = new PartyLog(party, events.isEmpty() ? partySeq : events.get(0).seq() - 1);
      logs.put(log);
    }
    Set<String> before = log.members();
    String disbandReason = DisbandReason.GONE.wireValue();
    for (StoredEvent e : events) {
      if (e.seq() <= log.seq) {
        continue;
      }
      if (e.seq() != log.seq + 1) {
        return false;
      }
      log.seq = e.seq();
      deliver(log, new PartyLog.Buffered(e.seq(), e.frame(), e.recipients()));
      disbandReason = disbandReasonIn(e.frame(), disbandReason);
    }
    if (party == null) {
      logs.disband(partyId, disbandReason, before);
      return true;
    }
    if (partySeq > log.seq) {
      return false;
    }
    if (partySeq < log.seq) {
      return true;
    }
    log.info = party;
    logs.membersChanged(log, before);
    return true;
  }

  /**
   * Makes {@code party} (committed at {@code partySeq}; {@code null}: gone) the party's state when
   * the events between this hub's number and it are no longer stored: the replay buffer is
   * dropped (a resume from before gets a snapshot) and the members whose streams are ready here
   * get a snapshot now (or {@code party-disbanded}, reason {@code gone}), so none silently misses
   * a change.
   */
  public synchronized void resetCommitted(String partyId, PartyInfo party, long partySeq) {
    PartyLog log = logs.get(partyId);
    Set<String> before = log == null ? Set.of() : log.members();
    long next = log == null ? partySeq : Math.max(log.seq, partySeq);
    if (party == null) {
      logs.disband(partyId, DisbandReason.GONE.wireValue(), before);
      sessions.sendNow(before, ProtocolJson.write(EventMessage.partyDisbanded(partyId, next + 1, DisbandReason.GONE.wireValue())));
      return;
    }
    PartyLog fresh = new PartyLog(party, partySeq);
    logs.put(fresh);
    logs.membersChanged(fresh, before);
    sessions.sendNow(fresh.members(), ProtocolJson.write(EventMessage.snapshot(partySeq, party)));
  }

  /** The party as this hub holds it, if it exists. */
  public synchronized java.util.Optional<PartyInfo> party(String partyId) {
    PartyLog log = logs.get(partyId);
    return log == null ? java.util.Optional.empty() : java.util.Optional.of(log.info);
  }

  /** Ids of the parties this hub holds. */
  public synchronized List<String> partyIds() {
    return logs.partyIds();
  }

  /** Parties and members this hub holds (for an instance without a registry of its own). */
  public synchronized int partyCount() {
    return logs.partyCount();
  }

  public synchronized int memberCount() {
    return logs.memberCount();
  }

  /** The reason in a {@code party-disbanded} frame (frames here were written by a server: they parse). */
  private static String disbandReasonIn(String frame, String otherwise) {
    EventMessage event;
    try {
      event = ProtocolJson.lenient().readValue(frame, EventMessage.class);
    } catch (java.io.IOException e) {
      return otherwise;
    }
    return io.partynet.protocol.internal.Protocol.EVENT_PARTY_DISBANDED.equals(event.type()) ? event.reason() : otherwise;
  }

  // ---- commands ----

  /** Delivers {@code signal} to its recipient; both ends must be members of the party. */
  public synchronized void signal(Signal signal) {
    PartyLog log = requireMember(signal.partyId(), signal.fromPeerId());
    if (!log.members().contains(signal.toPeerId())) {
      throw PartyException.of(Reason.PEER_NOT_FOUND, "peer " + signal.toPeerId()
          + " is not a member of party " + signal.partyId());
    }
    publish(log, Set.of(signal.toPeerId()), seq -> EventMessage.signal(seq, signal));
  }

  /** The party and its current sequence number, as one consistent view, for a member. */
  public synchronized PartyResponse view(String partyId, String peerId) {
    PartyLog log = requireMember(partyId, peerId);
    return new PartyResponse(log.info, log.seq);
  }

  /**
   * Checks that {@code peerId} is a member of {@code partyId}: PARTY_NOT_FOUND when the party does
   * not exist, NOT_IN_PARTY when the caller is not a member (it learns nothing else).
   */
  public synchronized void requireMembership(String partyId, String peerId) {
    requireMember(partyId, peerId);
  }

  public synchronized boolean isMember(String partyId, String peerId) {
    PartyLog log = logs.get(partyId);
    return log != null && log.members().contains(peerId);
  }

  /** True when a member other than {@code peerId} joined the party with {@code publicKey}. */
  public synchronized boolean keyHeldByAnother(String partyId, String peerId, String publicKey) {
    PartyLog log = logs.get(partyId);
    return log != null && log.info.peers().stream()
        .anyMatch(p -> p.publicKey().equals(publicKey) && !p.id().equals(peerId));
  }

  public synchronized List<String> partiesOf(String peerId) {
    return logs.partiesOf(peerId);
  }

  /** The sequence number to store with a party; -1 when the party no longer exists. */
  public synchronized long seqOf(String partyId) {
    PartyLog log = logs.get(partyId);
    return log == null ? -1 : log.seq;
  }

  // ---- sessions ----

  /** A new WebSocket for {@code peerId}; an older one of the same peer is closed (one per peer). */
  synchronized void connected(String peerId, EventSink sink) {
    sessions.connected(peerId, sink);
  }

  synchronized void disconnected(String peerId, EventSink sink) {
    sessions.disconnected(peerId, sink);
  }

  /**
   * Answers a client's resume request: missed events or snapshots for every party the peer is or
   * was in, then {@code ready}; live events follow from then on.
   */
  synchronized void resume(String peerId, EventSink sink, ResumeMessage resume) {
    if (!sessions.isCurrent(peerId, sink)) {
      return;
    }
    List<String> frames = logs.resumeFrames(peerId, resume);
    sessions.answerResume(peerId, sink, frames);
  }

  /** Tells every connected client the server is going away and closes the connections. */
  public void goingAway(String reason, long timeoutMillis) {
    List<EventSink> sinks;
    synchronized (this) {
      sinks = sessions.takeAll();
    }
    sessions.sayGoingAway(sinks, reason, timeoutMillis);
  }

  /** Event frames handed to WebSockets so far (live fan-out and resume answers). */
  public long framesSent() {
    return sessions.framesSent();
  }

  public synchronized int sessionCount() {
    return sessions.count();
  }

  // ---- internals ----

  private interface EventFactory {
    EventMessage at(long seq);
  }

  private void publish(PartyLog log, Set<String> recipients, EventFactory factory) {
    long seq = ++log.seq;
    String frame = ProtocolJson.write(factory.at(seq));
    PartyLog.Buffered event = new PartyLog.Buffered(seq, frame, Set.copyOf(recipients));
    journal.record(log.info.partyId(), seq, frame, event.recipients());
    deliver(log, event);
  }

  /** Buffers {@code event} for replay and hands it to its recipients' ready sessions, in order. */
  private void deliver(PartyLog log, PartyLog.Buffered event) {
    log.remember(event, replayDepth);
    sessions.sendNow(event.recipients(), event.frame());
  }

  private PartyLog requireMember(String partyId, String peerId) {
    PartyLog log = logs.get(partyId);
    if (log == null) {
      throw new io.partynet.PartyNotFoundException(partyId);
    }
    if (!log.members().contains(peerId)) {
      throw PartyException.of(Reason.NOT_IN_PARTY, "you are not a member of party " + partyId
          + ": join it first");
    }
    return log;
  }

  /** The registry's view of a party; called under the registry's lock (re-entrant, same thread). */
  private PartyInfo current(String partyId) {
    return registry.getParty(partyId).orElseThrow(() ->
        new IllegalStateException("registry reported a change to unknown party " + partyId));
  }

}
