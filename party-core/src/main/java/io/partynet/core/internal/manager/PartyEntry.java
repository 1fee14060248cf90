package io.partynet.core.internal.manager;

import io.partynet.Key;
import io.partynet.Party;
import io.partynet.PartyException;
import io.partynet.PartyInfo;
import io.partynet.Peer;
import io.partynet.spi.ControlPlane;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Getting into a party the application asked for: create and join, one at a time, each asking the
 * control plane and then entering the party ({@link Membership#enter}), or taking the
 * registration back when entering fails. A join whose answer never came may still have landed;
 * {@link AbandonedJoins} then takes this member out again, on every heartbeat until it is done.
 *
 * <p>Confined to the manager's worker thread.
 */
final class PartyEntry {
  private static final Logger LOG = LoggerFactory.getLogger(PartyEntry.class);

  private final Membership membership;
  private final ControlPlaneSession session;
  private final ControlPlane controlPlane;
  private final ManagerWorker worker;
  private final LocalEndpoint local;
  private final String defaultPeerName;
  private final Clock clock;
  private final Duration timeout;
  private final String myPeerId;
  private final Key publicKey;
  private final AbandonedJoins abandonedJoins;
  /** A create or join is waiting for the control plane's answer: no second one may start. */
  private boolean entering;

  PartyEntry(Membership membership, ManagerParts parts, ControlPlaneSession session, String myPeerId,
      Key publicKey) {
    this.membership = membership;
    this.session = session;
    this.controlPlane = parts.controlPlane();
    this.worker = parts.worker();
    this.local = parts.local();
    this.defaultPeerName = parts.config().peerName();
    this.clock = parts.clock();
    this.timeout = parts.config().requestTimeout();
    this.myPeerId = myPeerId;
    this.publicKey = publicKey;
    this.abandonedJoins = new AbandonedJoins(controlPlane, myPeerId, timeout);
  }

  /** Starts creating party {@code partyName}; the future completes once this member is in it. */
  CompletableFuture<Party> create(String partyName) {
    requireNoParty();
    session.ensureStarted();
    local.detect(false);
    Peer host = selfPeer(defaultPeerName);
    entering = true;
    return worker.afterCall("creating the party", controlPlane.createParty(partyName, host), timeout,
        (info, error) -> {
          entering = false;
          if (error != null) {
            throw error;
          }
          return enterOrUndo(info);
        }).thenCompose(entered -> entered);
  }

  /**
   * Starts joining the party {@code code}. The server treats a join by a member it already knows
   * as the same join, so a retried join lands once; a join whose answer never came may still
   * have landed, so this member then removes itself ({@link AbandonedJoins}) instead of staying
   * a ghost until the stale timeout.
   */
  CompletableFuture<Party> join(String code, String peerName) {
    requireNoParty();
    session.ensureStarted();
    local.detect(false);
    Peer me = selfPeer(peerName);
    entering = true;
    abandonedJoins.retried(code);
    CompletableFuture<PartyInfo> call = controlPlane.joinParty(code, me);
    return worker.afterCall("joining party " + code, call, timeout, (info, error) -> {
      entering = false;
      if (error != null) {
        if (AbandonedJoins.mayHaveLanded(error)) {
          abandonedJoins.abandon(code, call, worker);
        }
        throw error;
      }
      return enterOrUndo(info);
    }).thenCompose(entered -> entered);
  }

  /** A heartbeat tick: tries again to take this member out of parties whose join it abandoned. */
  void retryAbandoned() {
    abandonedJoins.retry(worker);
  }

  /**
   * Enters {@code info}'s party; when that fails, takes the registration back (bounded) and only
   * then fails, so the caller never sees a half-created party still registered.
   */
  private CompletableFuture<Party> enterOrUndo(PartyInfo info) {
    try {
      membership.enter(info);
      return CompletableFuture.completedFuture(membership.party());
    } catch (IOException | RuntimeException e) {
      return Futures.bounded(controlPlane.leaveParty(info.partyId(), myPeerId), timeout, "undoing the join")
          .handle((done, undo) -> {
            if (undo != null) {
              LOG.warn("could not undo joining party {} ({})", info.partyId(), undo.getMessage());
            }
            throw new CompletionException(e);
          });
    }
  }

  private Peer selfPeer(String name) {
    return Peer.newMember(myPeerId, name, publicKey, local.natType(), clock.instant()).withEndpoint(local.endpoint());
  }

  private void requireNoParty() {
    if (entering) {
      throw PartyException.of(PartyException.Reason.ALREADY_IN_PARTY,
          "A create or join is still waiting for the control plane: wait for it to finish first");
    }
    Party current = membership.party();
    if (current != null) {
      throw PartyException.of(PartyException.Reason.ALREADY_IN_PARTY,
          "Already in party " + current.id() + ": leave it first");
    }
  }
}
