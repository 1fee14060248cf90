package io.partynet.server.internal.parties;

import io.partynet.Invite;
import io.partynet.InviteOptions;
import io.partynet.PartyException;
import io.partynet.PartyException.Reason;
import io.partynet.PartyInfo;
import io.partynet.Peer;
import io.partynet.core.internal.registry.PartyRegistry;
import io.partynet.protocol.internal.IdempotencyKey;
import io.partynet.protocol.internal.PartyResponse;
import io.partynet.protocol.internal.Protocol;
import io.partynet.server.internal.events.EventHub;
import io.partynet.spi.Signal;
import java.util.List;

/**
 * {@link PartyOperations} of a server that is the only active instance on its database: the
 * in-memory registry decides, and each change is flushed to the store before it is answered.
 */
public final class LocalParties implements PartyOperations {
  private final PartyRegistry registry;
  private final EventHub hub;
  private final RegistryPersistence persistence;
  private final Bans bans;
  private final JoinKeys joinKeys;
  private final Object[] admissionLocks = new Object[64];

  public LocalParties(PartyRegistry registry, EventHub hub, RegistryPersistence persistence, Bans bans, JoinKeys joinKeys) {
    this.registry = registry;
    this.hub = hub;
    this.persistence = persistence;
    this.bans = bans;
    this.joinKeys = joinKeys;
    for (int i = 0; i < admissionLocks.length; i++) {
      admissionLocks[i] = new Object();
    }
  }

  @Override
  public PartyResponse create(String name, Peer host) {
    PartyInfo info;
    synchronized (admissionLock(host.id())) {
      requireRoomForAnotherParty(host.id());
      info = registry.createParty(name, host);
    }
    persistence.flush();
    return hub.view(info.partyId(), host.id());
  }

  @Override
  public String resolve(String code) {
    return registry.resolvePartyId(code);
  }

  /**
   * The registry checks the code admits. A join and a leave of one peer are serialised by its
   * admission lock, so a join's key is recorded before any leave of the membership it made can
   * withdraw it.
   */
  @Override
  public PartyResponse join(String partyId, String code, Peer peer, IdempotencyKey key) {
    synchronized (admissionLock(peer.id())) {
      if (key != null) {
        joinKeys.requireNotWithdrawn(partyId, peer.id(), key);
      }
      if (!hub.isMember(partyId, peer.id())) {
        if (bans.isBanned(partyId, peer.id(), peer.publicKey())) {
          throw PartyException.of(Reason.FORBIDDEN, "you were kicked from party " + partyId
              + " and a kick lasts for the party's life");
        }
        requireRoomForAnotherParty(peer.id());
      }
      // Registrations cannot share a key since revision 2, but a database from before may hold clones.
      if (hub.keyHeldByAnother(partyId, peer.id(), peer.publicKey())) {
        throw PartyException.of(Reason.FORBIDDEN, "another member of party " + partyId
            + " uses this WireGuard key; every player needs a key of its own");
      }
      registry.joinParty(code, peer);
      if (key != null) {
        joinKeys.admitted(partyId, peer.id(), key);
      }
    }
    persistence.flush();
    return hub.view(partyId, peer.id());
  }

  @Override
  public boolean leave(String partyId, String peerId) {
    hub.requireMembership(partyId, peerId);
    boolean disbanded;
    synchronized (admissionLock(peerId)) {
      disbanded = registry.leaveParty(partyId, peerId);
    }
    persistence.flush();
    return disbanded;
  }

  @Override
  public void kick(String partyId, String hostId, String target) {
    hub.requireMembership(partyId, hostId);
    registry.kick(partyId, hostId, target);
    bans.persist(partyId);
    persistence.flush();
  }

  @Override
  public void disband(String partyId, String hostId) {
    hub.requireMembership(partyId, hostId);
    registry.disband(partyId, hostId);
    persistence.flush();
  }

  @Override
  public Invite createInvite(String partyId, String hostId, InviteOptions options) {
    hub.requireMembership(partyId, hostId);
    Invite invite = registry.createInvite(partyId, hostId, options);
    persistence.flush();
    return invite;
  }

  @Override
  public void revokeInvite(String partyId, String hostId, String code) {
    hub.requireMembership(partyId, hostId);
    registry.revokeInvite(partyId, hostId, code);
    persistence.flush();
  }

  @Override
  public void heartbeat(String partyId, String peerId) {
    hub.requireMembership(partyId, peerId);
    registry.heartbeat(partyId, peerId);
  }

  @Override
  public Peer update(String partyId, Peer peer) {
    hub.requireMembership(partyId, peer.id());
    Peer updated = registry.updatePeer(partyId, peer);
    persistence.flush();
    return updated;
  }

  @Override
  public void signal(Signal signal) {
    hub.signal(signal);
    persistence.mark(signal.partyId());
    persistence.flush();
  }

  @Override
  public PartyResponse view(String partyId, String peerId) {
    return hub.view(partyId, peerId);
  }

  @Override
  public void requireMembership(String partyId, String peerId) {
    hub.requireMembership(partyId, peerId);
  }

  @Override
  public List<String> partiesOf(String peerId) {
    return hub.partiesOf(peerId);
  }

  /**
   * Serialises one peer's creates and joins, so "at most N parties" is checked and acted on as
   * one step (38 simultaneous creates must not give a peer 9 parties). Striped: peers that share
   * a stripe merely wait for each other's short registry call.
   */
  private Object admissionLock(String peerId) {
    return admissionLocks[Math.floorMod(peerId.hashCode(), admissionLocks.length)];
  }

  private void requireRoomForAnotherParty(String peerId) {
    if (hub.partiesOf(peerId).size() >= Protocol.MAX_PARTIES_PER_PEER) {
      throw PartyException.of(Reason.ALREADY_IN_PARTY, "a peer may be in at most "
          + Protocol.MAX_PARTIES_PER_PEER + " parties; leave one first");
    }
  }
}
