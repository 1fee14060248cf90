package io.partynet.core.internal.manager;

import io.partynet.ConnectionType;
import io.partynet.ControlPlaneUnavailableException;
import io.partynet.DisbandReason;
import io.partynet.Endpoint;
import io.partynet.Key;
import io.partynet.LeaveReason;
import io.partynet.LinkQuality;
import io.partynet.NotHostException;
import io.partynet.Party;
import io.partynet.PartyConfig;
import io.partynet.PartyException;
import io.partynet.PartyInfo;
import io.partynet.PartyNotFoundException;
import io.partynet.Peer;
import io.partynet.spi.ControlPlane;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The party state machine (PARTY.md): create, join, leave and kick; heartbeats and resuming a
 * persisted or dropped party; the members' comings and goings as the control plane reports them;
 * entering a party and forgetting it. {@link MemberEvents} applies what the control plane reports
 * through the package-private methods here; the connection layer reports through
 * {@link ConnectionLayer.Upward}.
 *
 * <p>Confined to the manager's worker thread; {@link #party()} may be read from any thread.
 */
final class Membership implements ConnectionLayer.Upward {
  private static final Logger LOG = LoggerFactory.getLogger(Membership.class);

  private final PartyConfig config;
  private final Duration timeout;
  private final Clock clock;
  private final ControlPlane controlPlane;
  private final ControlPlaneSession session;
  private final MembershipStore store;
  private final LocalEndpoint local;
  private final ConnectionLayer.Parts layerParts;
  private final EventDispatcher events;
  private final String myPeerId;
  private final Key publicKey;
  /** When this member last heard of each member; status falls back on it. */
  private final Map<String, Instant> lastSeen = new ConcurrentHashMap<>();

  private volatile Party party;
  /** Joins the persisted or current party again (after a restart, or when the plane dropped us). */
  private final PartyResume resumption;
  /** Non-null while in a party with its connections open. */
  private volatile ConnectionLayer links;

  Membership(ConnectionLayer.Parts layerParts, ControlPlaneSession session, MembershipStore store,
      EventDispatcher events, String myPeerId, Key publicKey) {
    this.layerParts = layerParts;
    this.config = layerParts.config();
    this.timeout = config.requestTimeout();
    this.clock = layerParts.clock();
    this.controlPlane = layerParts.controlPlane();
    this.session = session;
    this.local = layerParts.local();
    this.store = store;
    this.events = events;
    this.myPeerId = myPeerId;
    this.publicKey = publicKey;
    this.resumption = new PartyResume(this, layerParts, session, myPeerId);
  }

  Party party() {
    return party;
  }

  /** The connection layer of the current party, or null. */
  ConnectionLayer links() {
    return links;
  }

  Map<String, Instant> lastSeen() {
    return Map.copyOf(lastSeen);
  }

  /** The party is {@code now} (a member came, went or changed); persisted at once. */
  void changed(Party now) {
    party = now;
    store.save(now);
  }

  /** We heard of {@code peerId} just now. */
  void seen(String peerId) {
    lastSeen.put(peerId, clock.instant());
  }

  void unseen(String peerId) {
    lastSeen.remove(peerId);
  }

  /** Takes up the persisted {@code persisted} party, its data plane up at once; {@link #resume} joins it again. */
  void restore(Party persisted, int prefixLength) {
    resumption.restore(persisted, prefixLength);
  }

  /** The party is {@code persisted} again, with {@code restored} open (or null when it did not come up). */
  void restored(Party persisted, ConnectionLayer restored) {
    party = persisted;
    links = restored;
  }

  // ---------------------------------------------------------------- operations

  Party create(String partyName) throws IOException {
    requireNoParty();
    session.ensureStarted();
    local.detect();
    Peer host = selfPeer(config.peerName());
    enterOrUndo(Futures.await(controlPlane.createParty(partyName, host), timeout, "creating the party"));
    return party;
  }

  Party join(String code, String peerName) throws IOException {
    requireNoParty();
    session.ensureStarted();
    local.detect();
    Peer me = selfPeer(peerName);
    enterOrUndo(Futures.await(controlPlane.joinParty(code, me), timeout, "joining party " + code));
    return party;
  }

  void leave() {
    Party current = requireParty();
    disconnect(current);
    try {
      Futures.await(controlPlane.leaveParty(current.id(), myPeerId), timeout, "leaving party " + current.id());
    } catch (PartyException e) {
      if (!isGone(e)) {
        // Leaving locally must always work; the control plane drops us after the stale timeout.
        LOG.warn("could not tell the control plane that we left party {} ({}); it will drop this member "
            + "after the stale timeout", current.id(), e.getMessage());
      }
    }
    forget(current);
    events.emit("onPartyLeft", l -> l.onPartyLeft(current.id()));
  }

  /** Asks the control plane to remove {@code peerId}; the caller then applies the departure. */
  void kick(String peerId) {
    Party current = requireParty();
    if (!current.isHost(myPeerId)) {
      throw new NotHostException(current.id());
    }
    if (myPeerId.equals(peerId)) {
      throw PartyException.of(PartyException.Reason.INVALID_ARGUMENT,
          "The host cannot kick itself: call leave() to end the party");
    }
    if (!current.peers().containsKey(peerId)) {
      throw PartyException.of(PartyException.Reason.PEER_NOT_FOUND,
          "No member " + peerId + " in party " + current.id() + ": check status() for member ids");
    }
    Futures.await(controlPlane.kick(current.id(), myPeerId, peerId), timeout, "kicking " + peerId);
  }

  Party requireParty() {
    Party current = party;
    if (current == null) {
      throw PartyException.of(PartyException.Reason.NOT_IN_PARTY,
          "Not in a party: create one or join one with an invite code first");
    }
    return current;
  }

  // ---------------------------------------------------------------- ticks

  void heartbeat() {
    Party current = party;
    if (current == null) {
      return;
    }
    if (resumption.needed()) {
      resume();
      return;
    }
    try {
      Futures.await(controlPlane.heartbeat(current.id(), myPeerId), timeout, "heartbeat");
      lastSeen.put(myPeerId, clock.instant());
      session.reachable(true, "a heartbeat was answered");
    } catch (PartyNotFoundException e) {
      LOG.warn("party {} no longer exists on the control plane; leaving it locally", current.id());
      ended(current, DisbandReason.GONE);
    } catch (PartyException e) {
      if (e.reason() == PartyException.Reason.PEER_NOT_FOUND) {
        LOG.warn("the control plane dropped this member from party {}; joining it again", current.id());
        resumption.needed(true);
        resume();
      } else {
        LOG.warn("heartbeat for party {} failed ({}); retrying in {}", current.id(), e.getMessage(),
            config.heartbeatInterval());
        reportUnreachable(e);
      }
    }
  }

  /** Steps every link, pings every member, and reports connection changes. */
  void monitor() {
    Party current = party;
    ConnectionLayer open = links;
    if (current != null && open != null) {
      open.tick(current.getPeerList());
    }
  }

  /** Joins the persisted (or dropped) party again, keeping its interface and tunnels up meanwhile. */
  void resume() {
    resumption.resume();
  }

  void reportUnreachable(PartyException e) {
    if (e instanceof ControlPlaneUnavailableException || e.reason() == PartyException.Reason.TIMEOUT) {
      session.reachable(false, e.getMessage());
    }
  }

  // ---------------------------------------------------------------- from the connection layer

  @Override
  public void connectionChanged(String peerId, ConnectionType type) {
    Party current = party;
    if (current != null && current.peers().containsKey(peerId)) {
      Peer view = current.peers().get(peerId).withConnectionType(type);
      events.emit("onPeerUpdated", l -> l.onPeerUpdated(current, view));
    }
  }

  @Override
  public void linkQualityChanged(String peerId, LinkQuality quality) {
    Party current = party;
    if (current != null && current.peers().containsKey(peerId)) {
      Peer view = current.peers().get(peerId).withConnectionType(quality.path()).withLatencyMs(quality.rttMs());
      events.emit("onLinkQuality", l -> l.onLinkQuality(current, view, quality));
    }
  }

  @Override
  public void endpointMoved(Endpoint endpoint) {
    republishSelf(me -> me.withEndpoint(endpoint));
  }

  /** NAT detection finished in the background: plan with it and advertise it. */
  void localLearned() {
    ConnectionLayer open = links;
    if (open != null) {
      open.localChanged();
    }
    republishSelf(me -> me.withNatType(local.natType())
        .withEndpoint(local.endpoint() != null ? local.endpoint() : me.endpoint()));
  }

  /** Our own record changed by {@code change}: kept, persisted and published when it differs. */
  private void republishSelf(UnaryOperator<Peer> change) {
    Party current = party;
    Peer me = current == null ? null : current.peers().get(myPeerId);
    if (me == null) {
      return;
    }
    Peer updated = change.apply(me);
    if (!updated.equals(me)) {
      party = current.withPeer(updated);
      store.save(party);
      publishSelf(current.id(), updated);
    }
  }

  // ---------------------------------------------------------------- entering and leaving

  private void enterOrUndo(PartyInfo info) throws IOException {
    try {
      enter(info);
    } catch (IOException | RuntimeException e) {
      party = null;
      try {
        Futures.await(controlPlane.leaveParty(info.partyId(), myPeerId), timeout, "undoing the join");
      } catch (PartyException undo) {
        LOG.warn("could not undo joining party {} ({})", info.partyId(), undo.getMessage());
      }
      throw e;
    }
  }

  /**
   * Makes {@code info} the current party: interface up (kept up when it already serves this party
   * at the same address: a rejoin), every other member connected, our own entry as the others must
   * see it (published when the control plane holds another endpoint or NAT type), persisted, announced.
   */
  void enter(PartyInfo info) throws IOException {
    Party joined = info.toParty();
    Peer me = joined.peers().get(myPeerId);
    if (me == null || me.virtualIp() == null) {
      throw PartyException.of(PartyException.Reason.INTERNAL, "the " + controlPlane.name()
          + " control plane answered without this member or its virtual IP; report this as a bug");
    }
    int prefixLength = info.subnet().prefixLength();
    Party before = party;
    ConnectionLayer open = links;
    if (open != null && before != null && open.serves(info.partyId(), me, prefixLength)) {
      open.reconcile(before.getPeerList(), joined.peers());
      open.localChanged();
    } else {
      if (open != null && before != null) {
        closeLinks(before);
      }
      links = ConnectionLayer.open(layerParts, this, info.partyId(), me, prefixLength, joined.getPeerList(),
          this::party);
    }
    try {
      Peer current = me.withEndpoint(local.endpoint()).withNatType(local.natType());
      if (!Objects.equals(current.endpoint(), me.endpoint()) || current.natType() != me.natType()) {
        // The control plane holds an older endpoint or NAT type (a restart on another network, or
        // the listen port known only now): every member must use the current one.
        me = current;
        joined = joined.withPeer(me);
        publishSelf(info.partyId(), me);
      }
      store.save(joined);
      store.saveNetwork(controlPlane.name(), prefixLength);
    } catch (RuntimeException e) {
      closeLinks(joined);
      throw e;
    }
    Instant now = clock.instant();
    lastSeen.clear();
    for (Peer peer : joined.getPeerList()) {
      lastSeen.put(peer.id(), now);
    }
    party = joined;
    LOG.info("in party {} '{}' as {} with {} member(s), network {}", joined.id(), joined.name(), me.virtualIp(),
        joined.peers().size(), layerParts.dataPlane().name());
    Party entered = joined;
    events.emit("onPartyJoined", l -> l.onPartyJoined(entered));
  }

  /** The control plane removed this member: a stale member joins again, otherwise the party is over for it. */
  void selfRemoved(Party current, LeaveReason reason) {
    if (reason == LeaveReason.STALE) {
      LOG.warn("the control plane dropped this member from party {} as stale; joining it again", current.id());
      resumption.needed(true);
      resume();
      return;
    }
    LOG.info("this member was removed from party {} ({})", current.id(), reason);
    Peer me = current.peers().get(myPeerId);
    disconnect(current);
    forget(current);
    if (me != null) {
      events.emit("onPeerLeft", l -> l.onPeerLeft(current, me, reason));
    }
    events.emit("onPartyLeft", l -> l.onPartyLeft(current.id()));
  }

  /** The party ended without us leaving (disbanded, gone): tear down and tell the listeners. */
  void ended(Party current, DisbandReason reason) {
    disconnect(current);
    forget(current);
    events.emit("onPartyDisbanded", l -> l.onPartyDisbanded(current.id(), reason));
  }

  /** Closes the connections and takes the interface down (the manager closing, or the party over). */
  void disconnect(Party current) {
    closeLinks(current);
    layerParts.dataPlane().down();
  }

  private void closeLinks(Party current) {
    ConnectionLayer open = links;
    links = null;
    if (open != null) {
      open.close(current.getPeerList());
    }
  }

  private void forget(Party current) {
    party = null;
    resumption.needed(false);
    lastSeen.clear();
    store.clear(timeout);
    LOG.info("no longer in party {}", current.id());
  }

  private void publishSelf(String partyId, Peer me) {
    try {
      Futures.await(controlPlane.updatePeer(partyId, me), timeout, "publishing our endpoint");
    } catch (PartyException e) {
      LOG.warn("could not publish our endpoint {} ({}); others learn it when we reach them", me.endpoint(),
          e.getMessage());
    }
  }

  private Peer selfPeer(String name) {
    return Peer.newMember(myPeerId, name, publicKey, local.natType(), clock.instant()).withEndpoint(local.endpoint());
  }

  /** The current party if it is {@code partyId}, else null. */
  Party currentIf(String partyId) {
    Party current = party;
    return current != null && current.id().equals(partyId) ? current : null;
  }

  private void requireNoParty() {
    Party current = party;
    if (current != null) {
      throw PartyException.of(PartyException.Reason.ALREADY_IN_PARTY,
          "Already in party " + current.id() + ": leave it first");
    }
  }

  static boolean isGone(PartyException e) {
    return e instanceof PartyNotFoundException || e.reason() == PartyException.Reason.PEER_NOT_FOUND;
  }
}
