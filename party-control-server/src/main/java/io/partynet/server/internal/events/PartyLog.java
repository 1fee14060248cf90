package io.partynet.server.internal.events;

import io.partynet.PartyInfo;
import io.partynet.Peer;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

/** One party's mirror in the {@link EventHub}: current info, sequence number and recent events. Guarded by the hub. */
final class PartyLog {
  /** One numbered event as sent: the frame and who gets it (fixed when it happened). */
  record Buffered(long seq, String frame, Set<String> recipients) {}

  private static final int MAX_FORMER_MEMBERS = 256;
  PartyInfo info;
  long seq;
  final ArrayDeque<Buffered> recent = new ArrayDeque<>();
  /** Peers that left since the server started (bounded): they may still learn they were removed. */
  final Set<String> formerMembers = new LinkedHashSet<>();

  PartyLog(PartyInfo info, long seq) {
    this.info = info;
    this.seq = seq;
  }

  Set<String> members() {
    Set<String> ids = new HashSet<>();
    for (Peer p : info.peers()) {
      ids.add(p.id());
    }
    return ids;
  }

  void remember(Buffered b, int depth) {
    recent.addLast(b);
    while (recent.size() > depth) {
      recent.removeFirst();
    }
  }

  void rememberFormer(String peerId) {
    formerMembers.remove(peerId);
    formerMembers.add(peerId);
    if (formerMembers.size() > MAX_FORMER_MEMBERS) {
      formerMembers.remove(formerMembers.iterator().next());
    }
  }

  boolean wasMember(String peerId) {
    return formerMembers.contains(peerId);
  }

  /** True when every event after {@code lastSeq} (at most {@link #seq}) is still buffered. */
  boolean covers(long lastSeq) {
    if (lastSeq == seq) {
      return true;
    }
    return !recent.isEmpty() && recent.peekFirst().seq() - 1 <= lastSeq;
  }
}
