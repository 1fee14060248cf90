package io.partynet.core.internal.manager;

import io.partynet.ControlPlaneUnavailableException;
import io.partynet.DisbandReason;
import io.partynet.LeaveReason;
import io.partynet.NotHostException;
import io.partynet.Party;
import io.partynet.PartyException;
import io.partynet.PartyInfo;
import io.partynet.PartyNotFoundException;
import io.partynet.Peer;
import io.partynet.spi.ControlPlane;
import io.partynet.spi.Signal;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The party state machine (PARTY.md): entering a party (after {@link PartyEntry} created or
 * joined it, or {@link PartyResume} joined it again), leaving and kicking; heartbeats and resuming
 * a persisted or dropped party; the members' comings and goings as the control plane reports them;
 * forgetting a party. {@link MemberEvents} applies what the control plane reports through the
 * package-private methods here; the connection layer reports through {@link SelfRecord};
 * heartbeats are sent by {@link Heartbeats}, resumes run by {@link PartyResume}.
 *
 * <p>Confined to the manager's worker thread; {@link #party()} may be read from any thread.
 */
final class Membership {
  private static final Logger LOG = LoggerFactory.getLogger(Membership.class);

  private final Duration timeout;
  private final Clock clock;
  private final ControlPlane controlPlane;
  private final ControlPlaneSession session;
  private final MembershipStore store;
  private final LocalEndpoint local;
  private final ManagerParts layerParts;
  private final EventDispatcher events;
  private final String myPeerId;
  private final ManagerWorker worker;
  /** When this member last heard of each member; status falls back on it. */
  private final Map<String, Instant> lastSeen = new ConcurrentHashMap<>();

  private volatile Party party;
  /** Joins the persisted or current party again (after a restart, or when the plane dropped us). */
  private final PartyResume resumption;
  /** Non-null while in a party with its connections open. */
  private volatile ConnectionLayer links;
  private final Heartbeats heartbeats;
  /** Our own record as the others see it; what the connection layer reports up. */
  private final SelfRecord self;
  /** Signals that came before their party or sender was known here. */
  private final EarlySignals early;
  /**
   * The control plane's answer to our last leave: {@link #awaitLeaveNotice} gives it time before
   * the manager closes, or the others would see this member until its stale timeout.
   */
  private volatile CompletableFuture<Void> leaveNotice = CompletableFuture.completedFuture(null);

  Membership(ManagerParts layerParts, ControlPlaneSession session, MembershipStore store,
      EventDispatcher events, String myPeerId) {
    this.layerParts = layerParts;
    this.timeout = layerParts.config().requestTimeout();
    this.clock = layerParts.clock();
    this.controlPlane = layerParts.controlPlane();
    this.session = session;
    this.local = layerParts.local();
    this.store = store;
    this.events = events;
    this.myPeerId = myPeerId;
    this.worker = layerParts.worker();
    this.resumption = new PartyResume(this, layerParts, session, myPeerId);
    this.heartbeats = new Heartbeats(this, resumption, session, layerParts, myPeerId);
    this.self = new SelfRecord(this, events, layerParts, myPeerId);
    this.early = new EarlySignals(clock);
  }

  Party party() {
    return party;
  }

  /** Where the connection layers of this membership report to. */
  ConnectionLayer.Upward upward() {
    return self;
  }

  /** The connection layer of the current party, or null. */
  ConnectionLayer links() {
    return links;
  }

  /**
   * A signal for the connection layer from another member: handed over now, or held (bounded,
   * {@link EarlySignals}) until this member is in its party with the sender known, which a signal
   * sent right after our join often precedes.
   */
  void signal(Signal signal) {
    if (deliverable(signal)) {
      links.onSignal(signal);
    } else {
      early.hold(signal);
    }
  }

  /** Hands the held signals that became deliverable (we entered the party, a member joined) to the layer. */
  void deliverHeld() {
    for (Signal signal : early.take(this::deliverable)) {
      links.onSignal(signal);
    }
  }

  private boolean deliverable(Signal signal) {
    Party current = currentIf(signal.partyId());
    return current != null && links != null && current.peers().containsKey(signal.fromPeerId());
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

  /** The control plane heard of {@code peerId} at {@code when}; kept when it is newer than what we know. */
  void heard(String peerId, Instant when) {
    lastSeen.merge(peerId, when, (a, b) -> a.isAfter(b) ? a : b);
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
    deliverHeld();
  }

  // ---------------------------------------------------------------- operations

  /**
   * Leaves at once, locally: the tunnels go down and the party is forgotten (and the forgetting
   * flushed) before the control plane is told. The future completes when the control plane has
   * acknowledged, or after the request timeout: a stalled control plane drops this member after
   * its stale timeout. It never fails once the local leave is done.
   */
  CompletableFuture<Void> leave() {
    Party current = requireParty();
    disconnect(current);
    forget(current);
    events.emit("onPartyLeft", l -> l.onPartyLeft(current.id()));
    CompletableFuture<Void> notice = Futures.bounded(controlPlane.leaveParty(current.id(), myPeerId), timeout,
        "leaving party " + current.id())
        .handle((done, error) -> {
          if (error != null && !isGone(Futures.toPartyException(error, "leaving"))) {
            LOG.warn("could not tell the control plane that we left party {} ({}); it will drop this member "
                + "after the stale timeout", current.id(), Futures.toPartyException(error, "leaving").getMessage());
          }
          return null;
        });
    leaveNotice = notice;
    return notice;
  }

  /**
   * Waits, at most {@code bound}, for the control plane to take a leave still on its way. An
   * application that calls {@code leave()} and then {@code close()} at once (the CLI did, ending on
   * the leave's own event) would otherwise close the control plane under the request and cut it off.
   * Any thread but the one completing the request; the leave future itself never fails.
   */
  void awaitLeaveNotice(Duration bound) {
    try {
      Futures.await(leaveNotice, bound, "telling the control plane that we left");
    } catch (PartyException e) {
      LOG.warn("closing before the control plane took our leave ({}); it drops this member after the stale timeout",
          e.getMessage());
    }
  }


  /** Asks the control plane to remove {@code peerId}; {@code removed} then applies the departure on the worker. */
  CompletableFuture<Void> kick(String peerId, Runnable removed) {
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
    return worker.afterCall("kicking " + peerId, controlPlane.kick(current.id(), myPeerId, peerId), timeout,
        (done, error) -> {
          if (error != null) {
            throw error;
          }
          if (currentIf(current.id()) != null) {
            removed.run();
          }
          return null;
        });
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

  /** Tells the control plane we are alive ({@link Heartbeats}), or joins again when that is due. */
  void heartbeat() {
    Party current = party;
    if (current == null) {
      return;
    }
    if (resumption.needed()) {
      resume();
      return;
    }
    heartbeats.send(current);
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

  /** NAT detection finished in the background: plan with it and advertise it ({@link SelfRecord}). */
  void localLearned() {
    self.localLearned();
  }

  // ---------------------------------------------------------------- entering and leaving

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
      links = ConnectionLayer.open(layerParts, self, info.partyId(), me, prefixLength, joined.getPeerList(),
          this::party);
    }
    try {
      Peer current = me.withEndpoint(local.endpoint()).withNatType(local.natType());
      if (!Objects.equals(current.endpoint(), me.endpoint()) || current.natType() != me.natType()) {
        // The control plane holds an older endpoint or NAT type (a restart on another network, or
        // the listen port known only now): every member must use the current one.
        me = current;
        joined = joined.withPeer(me);
        self.publish(info.partyId(), me);
      }
      store.save(joined);
      store.saveNetwork(controlPlane.name(), prefixLength);
    } catch (RuntimeException e) {
      closeLinks(joined);
      throw e;
    }
    // Durable before the application hears of it: a crash right after create/join still resumes.
    store.flush(timeout);
    Instant now = clock.instant();
    lastSeen.clear();
    for (Peer peer : joined.getPeerList()) {
      lastSeen.put(peer.id(), now);
    }
    party = joined;
    LOG.info("in party {} '{}' as {} with {} member(s), network {}", joined.id(), joined.name(), me.virtualIp(),
        joined.peers().size(), layerParts.dataPlane().name());
    deliverHeld();
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
    // Durable first: whoever sees this member without a party finds none persisted either.
    store.clear(timeout);
    party = null;
    resumption.needed(false);
    lastSeen.clear();
    LOG.info("no longer in party {}", current.id());
  }

  /** The current party if it is {@code partyId}, else null. */
  Party currentIf(String partyId) {
    Party current = party;
    return current != null && current.id().equals(partyId) ? current : null;
  }

  static boolean isGone(PartyException e) {
    return e instanceof PartyNotFoundException || e.reason() == PartyException.Reason.PEER_NOT_FOUND;
  }
}
