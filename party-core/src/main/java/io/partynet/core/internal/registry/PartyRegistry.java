package io.partynet.core.internal.registry;

import io.partynet.DisbandReason;
import io.partynet.Invite;
import io.partynet.InviteCode;
import io.partynet.InviteOptions;
import io.partynet.LeaveReason;
import io.partynet.NotHostException;
import io.partynet.Party;
import io.partynet.PartyException;
import io.partynet.PartyFullException;
import io.partynet.PartyInfo;
import io.partynet.PartyNotFoundException;
import io.partynet.Peer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Parties by invite code, their members and each member's last heartbeat. The rules of the seed
 * live here, so the local control plane and the server enforce them identically: a member's
 * virtual IP is unique within its party and cannot be changed by the member; the host leaving
 * disbands the party; a party whose last member leaves is deleted; only the host kicks or
 * disbands; {@link #cleanup()} removes members whose heartbeats stopped.
 *
 * <p>Thread-safe: every method holds one lock, and listeners run under it (see
 * {@link RegistryListener}).
 */
public final class PartyRegistry {
  private final RegistrySettings settings;
  private final Clock clock;
  private final Random random;
  private final VirtualIpAllocator ipAllocator;
  private final Map<String, Entry> parties = new LinkedHashMap<>();
  /** Invite code to the party it belongs to (the party ids themselves are the keys of {@link #parties}). */
  private final Map<String, String> inviteIndex = new LinkedHashMap<>();
  private final List<RegistryListener> listeners = new CopyOnWriteArrayList<>();

  public PartyRegistry(RegistrySettings settings, Clock clock, Random random) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
    this.ipAllocator = new VirtualIpAllocator(settings.subnet());
  }

  public RegistrySettings settings() {
    return settings;
  }

  /** Creates a party hosted by {@code host} under a fresh invite code and assigns the host's IP. */
  public synchronized PartyInfo createParty(String partyName, Peer host) {
    Objects.requireNonNull(host, "host");
    String id = freshCode();
    Instant now = clock.instant();
    Peer placed = host.withVirtualIp(ipAllocator.first()).withJoinedAt(now);
    Party party = Party.of(id, partyName, placed.id(), List.of(placed), now);
    Entry entry = new Entry(party);
    entry.lastSeen.put(placed.id(), now);
    parties.put(id, entry);
    listeners.forEach(l -> l.onPeerJoined(party.id(), placed));
    return info(entry);
  }

  /**
   * Adds {@code peer} and assigns its IP; {@code code} is the party id or one of its invite codes,
   * which must still admit members (see {@link PartyInvites}). Joining again with the same id and
   * key, with any code of the party, keeps the member's IP and join time but takes the rest of its
   * entry (endpoint, NAT type, ...) from {@code peer}, as {@link #updatePeer} does, and tells the
   * others when it changed: a member that restarts on another network must be dialled at its new
   * address. Counts as a heartbeat.
   */
  public synchronized PartyInfo joinParty(String code, Peer peer) {
    Objects.requireNonNull(peer, "peer");
    String normalized = InviteCode.normalize(code);
    Entry entry = require(resolvePartyId(normalized));
    Instant now = clock.instant();
    Peer existing = entry.party.peers().get(peer.id());
    if (existing != null) {
      if (!existing.publicKey().equals(peer.publicKey())) {
        throw PartyException.of(PartyException.Reason.FORBIDDEN,
            "Another member already uses this peer id in party " + entry.party.id());
      }
      entry.lastSeen.put(peer.id(), now);
      replaceOwnEntry(entry, existing, peer);
      return info(entry);
    }
    entry.invites.requireAdmits(normalized, now);
    if (entry.party.peers().size() >= settings.maxPartySize()) {
      throw new PartyFullException(entry.party.id());
    }
    if (!normalized.equals(entry.party.id())) {
      entry.invites.countUse(normalized);
      listeners.forEach(l -> l.onInvitesChanged(entry.party.id()));
    }
    String ip = ipAllocator.lowestFree(entry.party.peers().values());
    Peer placed = peer.withVirtualIp(ip).withJoinedAt(now);
    entry.party = entry.party.withPeer(placed);
    entry.lastSeen.put(placed.id(), now);
    listeners.forEach(l -> l.onPeerJoined(entry.party.id(), placed));
    return info(entry);
  }

  /**
   * Removes the member {@code peerId}. Returns true when this disbanded the party (the host left,
   * or nobody is left). Leaving a party one is not in is a no-op that returns false.
   */
  public synchronized boolean leaveParty(String partyId, String peerId) {
    Entry entry = parties.get(InviteCode.normalize(partyId));
    if (entry == null || !entry.party.peers().containsKey(peerId)) {
      return false;
    }
    if (entry.party.isHost(peerId)) {
      disbandEntry(entry, DisbandReason.HOST_LEFT);
      return true;
    }
    removeMember(entry, peerId, LeaveReason.LEFT);
    if (entry.party.peers().isEmpty()) {
      disbandEntry(entry, DisbandReason.EMPTY);
      return true;
    }
    return false;
  }

  /** The host {@code hostId} removes {@code peerId}. */
  public synchronized void kick(String partyId, String hostId, String peerId) {
    Entry entry = require(partyId);
    requireHost(entry, hostId);
    if (!entry.party.peers().containsKey(peerId)) {
      throw peerNotFound(entry, peerId);
    }
    if (entry.party.isHost(peerId)) {
      throw PartyException.of(PartyException.Reason.INVALID_ARGUMENT,
          "The host cannot kick itself: leave or disband the party instead");
    }
    removeMember(entry, peerId, LeaveReason.KICKED);
  }

  /** The host {@code hostId} ends the party. */
  public synchronized void disband(String partyId, String hostId) {
    Entry entry = require(partyId);
    requireHost(entry, hostId);
    disbandEntry(entry, DisbandReason.DISBANDED);
  }

  /** Refreshes the member's last-seen time. */
  public synchronized void heartbeat(String partyId, String peerId) {
    Entry entry = require(partyId);
    if (!entry.party.peers().containsKey(peerId)) {
      throw peerNotFound(entry, peerId);
    }
    entry.lastSeen.put(peerId, clock.instant());
  }

  /**
   * Replaces the member's own entry (endpoint, NAT type, connection type, latency, name). Its
   * virtual IP, join time and key stay as the registry has them. Counts as a heartbeat.
   */
  public synchronized Peer updatePeer(String partyId, Peer self) {
    Entry entry = require(partyId);
    Peer existing = entry.party.peers().get(self.id());
    if (existing == null) {
      throw peerNotFound(entry, self.id());
    }
    entry.lastSeen.put(self.id(), clock.instant());
    return replaceOwnEntry(entry, existing, self);
  }

  /**
   * What a member may change about itself: everything but its id, key, virtual IP and join time.
   * Tells the listeners only when something changed.
   */
  private Peer replaceOwnEntry(Entry entry, Peer existing, Peer self) {
    Peer updated = new Peer(existing.id(), self.name(), existing.publicKey(), existing.virtualIp(),
        self.endpoint(), self.latencyMs(), self.connectionType(), self.natType(), existing.joinedAt());
    if (!updated.equals(existing)) {
      entry.party = entry.party.withPeer(updated);
      listeners.forEach(l -> l.onPeerUpdated(entry.party.id(), updated));
    }
    return updated;
  }

  /**
   * The party {@code code} belongs to: the party id itself, or the party of one of its invite
   * codes (live or not). Fails with {@link PartyNotFoundException} when neither.
   */
  public synchronized String resolvePartyId(String code) {
    String normalized = InviteCode.normalize(code);
    if (parties.containsKey(normalized)) {
      return normalized;
    }
    String owner = inviteIndex.get(normalized);
    if (owner == null) {
      throw new PartyNotFoundException(normalized);
    }
    return owner;
  }

  /** The host {@code hostId} issues a new invite code for its party. */
  public synchronized Invite createInvite(String partyId, String hostId, InviteOptions options) {
    Objects.requireNonNull(options, "options");
    Entry entry = require(partyId);
    requireHost(entry, hostId);
    Invite invite = entry.invites.issue(freshCode(), clock.instant(), options);
    inviteIndex.put(invite.code(), entry.party.id());
    listeners.forEach(l -> l.onInvitesChanged(entry.party.id()));
    return invite;
  }

  /** The host {@code hostId} revokes one of its party's invite codes, or the party id. */
  public synchronized void revokeInvite(String partyId, String hostId, String code) {
    Entry entry = require(partyId);
    requireHost(entry, hostId);
    entry.invites.revoke(InviteCode.normalize(code), entry.party.createdAt());
    listeners.forEach(l -> l.onInvitesChanged(entry.party.id()));
  }

  /** Every invite code of the party, live or not (the party id appears once revoked). */
  public synchronized List<Invite> invites(String partyId) {
    Entry entry = parties.get(InviteCode.normalize(partyId));
    return entry == null ? List.of() : entry.invites.all();
  }

  public synchronized Optional<PartyInfo> getParty(String partyId) {
    Entry entry = parties.get(InviteCode.normalize(partyId));
    return Optional.ofNullable(entry).map(this::info);
  }

  public synchronized Optional<Instant> lastSeen(String partyId, String peerId) {
    Entry entry = parties.get(InviteCode.normalize(partyId));
    return entry == null ? Optional.empty() : Optional.ofNullable(entry.lastSeen.get(peerId));
  }

  /**
   * Removes members silent for longer than the stale timeout; a party whose host went stale, or
   * that has nobody left, is disbanded.
   */
  public synchronized CleanupReport cleanup() {
    Instant cutoff = clock.instant().minus(settings.staleTimeout());
    List<String> removed = new ArrayList<>();
    List<String> disbanded = new ArrayList<>();
    for (Entry entry : List.copyOf(parties.values())) {
      List<String> stale = new ArrayList<>();
      for (Map.Entry<String, Instant> seen : entry.lastSeen.entrySet()) {
        if (seen.getValue().isBefore(cutoff)) {
          stale.add(seen.getKey());
        }
      }
      if (stale.contains(entry.party.hostId())) {
        removed.addAll(entry.party.peers().keySet());
        disbanded.add(entry.party.id());
        disbandEntry(entry, DisbandReason.HOST_STALE);
        continue;
      }
      for (String peerId : stale) {
        removeMember(entry, peerId, LeaveReason.STALE);
        removed.add(peerId);
      }
      if (entry.party.peers().isEmpty()) {
        disbanded.add(entry.party.id());
        disbandEntry(entry, DisbandReason.EMPTY);
      }
    }
    return new CleanupReport(removed, disbanded);
  }

  public synchronized RegistrySnapshot snapshot() {
    List<PartyEntry> entries = new ArrayList<>();
    for (Entry e : parties.values()) {
      entries.add(new PartyEntry(e.party, e.lastSeen, e.invites.all()));
    }
    return new RegistrySnapshot(entries);
  }

  /** Replaces all state with {@code snapshot}; no listener is told (nothing happened). */
  public synchronized void restore(RegistrySnapshot snapshot) {
    parties.clear();
    inviteIndex.clear();
    for (PartyEntry pe : snapshot.parties()) {
      Entry entry = new Entry(pe.party(), pe.invites());
      pe.invites().forEach(invite -> inviteIndex.put(invite.code(), pe.party().id()));
      for (String peerId : pe.party().peers().keySet()) {
        entry.lastSeen.put(peerId, pe.lastSeen().getOrDefault(peerId, clock.instant()));
      }
      parties.put(pe.party().id(), entry);
    }
  }

  public synchronized int partyCount() {
    return parties.size();
  }

  public synchronized int peerCount() {
    int n = 0;
    for (Entry e : parties.values()) {
      n += e.party.peers().size();
    }
    return n;
  }

  public void addListener(RegistryListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  public void removeListener(RegistryListener listener) {
    listeners.remove(listener);
  }

  private Entry require(String partyId) {
    String id = InviteCode.normalize(partyId);
    Entry entry = parties.get(id);
    if (entry == null) {
      throw new PartyNotFoundException(id);
    }
    return entry;
  }

  private static void requireHost(Entry entry, String hostId) {
    if (!entry.party.isHost(hostId)) {
      throw new NotHostException(entry.party.id());
    }
  }

  private static PartyException peerNotFound(Entry entry, String peerId) {
    return PartyException.of(PartyException.Reason.PEER_NOT_FOUND,
        "Peer " + peerId + " is not a member of party " + entry.party.id()
            + ": it may have been removed after missing heartbeats; join again");
  }

  private void removeMember(Entry entry, String peerId, LeaveReason reason) {
    Peer gone = entry.party.peers().get(peerId);
    entry.party = entry.party.withoutPeer(peerId);
    entry.lastSeen.remove(peerId);
    listeners.forEach(l -> l.onPeerLeft(entry.party.id(), gone, reason));
  }

  private void disbandEntry(Entry entry, DisbandReason reason) {
    parties.remove(entry.party.id());
    entry.invites.all().forEach(invite -> inviteIndex.remove(invite.code()));
    listeners.forEach(l -> l.onPartyDisbanded(entry.party.id(), reason));
  }

  private PartyInfo info(Entry entry) {
    return PartyInfo.of(entry.party, settings.subnet());
  }

  /** A code used by no party and no invite. */
  private String freshCode() {
    String code;
    do {
      code = InviteCode.generate(random);
    } while (parties.containsKey(code) || inviteIndex.containsKey(code));
    return code;
  }

  /** Mutable holder of one party's state; only touched under the registry's lock. */
  private static final class Entry {
    Party party;
    final Map<String, Instant> lastSeen = new LinkedHashMap<>();
    final PartyInvites invites;

    Entry(Party party) {
      this(party, List.of());
    }

    Entry(Party party, List<Invite> invites) {
      this.party = party;
      this.invites = new PartyInvites(party.id(), invites);
    }
  }
}
