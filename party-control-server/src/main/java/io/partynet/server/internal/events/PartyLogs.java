package io.partynet.server.internal.events;

import io.partynet.DisbandReason;
import io.partynet.LeaveReason;
import io.partynet.protocol.internal.EventMessage;
import io.partynet.protocol.internal.ProtocolJson;
import io.partynet.protocol.internal.ResumeMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an {@link EventHub} knows of parties: each party's {@link PartyLog}, the parties of each
 * peer, and the recently disbanded parties (why, and who was a member then); and from that, what
 * a resuming peer is sent. The hub decides what happens and numbers it; this class keeps the
 * indexes consistent with it. Not thread-safe: used under the hub's lock.
 */
final class PartyLogs {
  /** Disbanded parties remembered, so a member resuming late still hears why. */
  private static final int DISBANDED_REMEMBERED = 10_000;

  private final Map<String, PartyLog> logs = new HashMap<>();
  private final Map<String, Set<String>> partiesByPeer = new HashMap<>();
  private final Map<String, Disbanded> disbanded = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Disbanded> eldest) {
      return size() > DISBANDED_REMEMBERED;
    }
  };

  private record Disbanded(String reason, Set<String> members) {}

  /** The party's log; null when the hub holds no such party. */
  PartyLog get(String partyId) {
    return logs.get(partyId);
  }

  /** Holds {@code log} as its party's (replacing any earlier one) with every member indexed. */
  void put(PartyLog log) {
    logs.put(log.info.partyId(), log);
    log.members().forEach(member -> joined(member, log.info.partyId()));
  }

  void joined(String peerId, String partyId) {
    partiesByPeer.computeIfAbsent(peerId, k -> new HashSet<>()).add(partyId);
  }

  void left(String peerId, String partyId) {
    Set<String> parties = partiesByPeer.get(peerId);
    if (parties != null) {
      parties.remove(partyId);
      if (parties.isEmpty()) {
        partiesByPeer.remove(peerId);
      }
    }
  }

  /**
   * Re-indexes {@code log}'s party after its members changed from {@code before} at once (a state
   * committed elsewhere): members gone are remembered as former members, new ones are indexed.
   */
  void membersChanged(PartyLog log, Set<String> before) {
    Set<String> after = log.members();
    for (String member : before) {
      if (!after.contains(member)) {
        log.rememberFormer(member);
        left(member, log.info.partyId());
      }
    }
    after.forEach(member -> joined(member, log.info.partyId()));
  }

  /**
   * Forgets the party, remembering that {@code members} were in it when it ended for
   * {@code reason}; returns its log, or null when it was not held.
   */
  PartyLog disband(String partyId, String reason, Set<String> members) {
    PartyLog log = logs.remove(partyId);
    members.forEach(member -> left(member, partyId));
    disbanded.put(partyId, new Disbanded(reason, Set.copyOf(members)));
    return log;
  }

  List<String> partyIds() {
    return List.copyOf(logs.keySet());
  }

  int partyCount() {
    return logs.size();
  }

  int memberCount() {
    int members = 0;
    for (PartyLog log : logs.values()) {
      members += log.info.peers().size();
    }
    return members;
  }

  List<String> partiesOf(String peerId) {
    return List.copyOf(partiesByPeer.getOrDefault(peerId, Set.of()));
  }

  /**
   * What a resuming peer is sent, {@code ready} last: for each party it names, what it missed
   * (see {@link #catchUp}); for each other party it is in, a snapshot.
   */
  List<String> resumeFrames(String peerId, ResumeMessage resume) {
    List<String> frames = new ArrayList<>();
    Set<String> handled = new HashSet<>();
    for (Map.Entry<String, Long> e : resume.parties().entrySet()) {
      handled.add(e.getKey());
      catchUp(peerId, e.getKey(), e.getValue(), frames);
    }
    for (String partyId : partiesByPeer.getOrDefault(peerId, Set.of())) {
      if (!handled.contains(partyId)) {
        PartyLog log = logs.get(partyId);
        frames.add(ProtocolJson.write(EventMessage.snapshot(log.seq, log.info)));
      }
    }
    frames.add(ProtocolJson.write(EventMessage.ready()));
    return frames;
  }

  /**
   * What a resuming peer gets for one party it names. A peer that is not and was not a member
   * gets exactly what it would get for a party that does not exist ({@code party-disbanded},
   * reason {@code gone}, numbered after its own claim): it learns nothing about parties it is not in.
   */
  private void catchUp(String peerId, String partyId, long lastSeq, List<String> frames) {
    long next = lastSeq == Long.MAX_VALUE ? lastSeq : lastSeq + 1;
    PartyLog log = logs.get(partyId);
    if (log == null) {
      Disbanded d = disbanded.get(partyId);
      String reason = d != null && d.members().contains(peerId) ? d.reason()
          : DisbandReason.GONE.wireValue();
      frames.add(ProtocolJson.write(EventMessage.partyDisbanded(partyId, next, reason)));
      return;
    }
    boolean member = log.members().contains(peerId);
    if (!member && !log.wasMember(peerId)) {
      frames.add(ProtocolJson.write(EventMessage.partyDisbanded(partyId, next, DisbandReason.GONE.wireValue())));
      return;
    }
    if (lastSeq <= log.seq && log.covers(lastSeq)) {
      for (PartyLog.Buffered b : log.recent) {
        if (b.seq() > lastSeq && b.recipients().contains(peerId)) {
          frames.add(b.frame());
        }
      }
    } else if (member) {
      frames.add(ProtocolJson.write(EventMessage.snapshot(log.seq, log.info)));
    } else {
      frames.add(ProtocolJson.write(EventMessage.peerLeft(partyId, Math.max(log.seq, next), peerId, LeaveReason.REMOVED.wireValue())));
    }
  }
}
