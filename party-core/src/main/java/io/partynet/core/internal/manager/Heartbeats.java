package io.partynet.core.internal.manager;

import io.partynet.DisbandReason;
import io.partynet.Party;
import io.partynet.PartyException;
import io.partynet.PartyNotFoundException;
import io.partynet.spi.ControlPlane;
import io.partynet.spi.PeerPresence;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the control plane this member is alive, one heartbeat in flight at most: a stalled
 * control plane delays the next heartbeat, never the manager's other work (the answer comes back
 * as new work on the worker). An answer says what the membership must do: nothing, take in the
 * members' presence, forget a party the plane no longer knows, or join again when it dropped us.
 *
 * <p>Confined to the manager's worker thread.
 */
final class Heartbeats {
  private static final Logger LOG = LoggerFactory.getLogger(Heartbeats.class);

  private final Membership membership;
  private final PartyResume resumption;
  private final ControlPlaneSession session;
  private final ControlPlane controlPlane;
  private final ManagerWorker worker;
  private final String myPeerId;
  private final Duration timeout;
  private final Duration interval;
  private boolean inFlight;

  Heartbeats(Membership membership, PartyResume resumption, ControlPlaneSession session,
      ManagerParts parts, String myPeerId) {
    this.membership = membership;
    this.resumption = resumption;
    this.session = session;
    this.controlPlane = parts.controlPlane();
    this.worker = parts.worker();
    this.myPeerId = myPeerId;
    this.timeout = parts.config().requestTimeout();
    this.interval = parts.config().heartbeatInterval();
  }

  /** One heartbeat for {@code current}; skipped while the previous one still waits for its answer. */
  void send(Party current) {
    if (inFlight) {
      LOG.debug("previous heartbeat for party {} still unanswered; skipping this one", current.id());
      return;
    }
    inFlight = true;
    worker.afterCall("heartbeat", controlPlane.heartbeat(current.id(), myPeerId), timeout, (done, error) -> {
      inFlight = false;
      answered(current.id(), error);
      return null;
    });
  }

  private void answered(String partyId, PartyException error) {
    Party current = membership.currentIf(partyId);
    if (current == null || resumption.needed()) {
      return;
    }
    if (error == null) {
      membership.seen(myPeerId);
      session.reachable(true, "a heartbeat was answered");
      refreshPresence(partyId);
    } else if (error instanceof PartyNotFoundException) {
      LOG.warn("party {} no longer exists on the control plane; leaving it locally", current.id());
      membership.ended(current, DisbandReason.GONE);
    } else if (error.reason() == PartyException.Reason.PEER_NOT_FOUND) {
      // Joined again at the next tick, not now: when the plane dropped us because the host kicked
      // us, its event says so first (it is queued on the worker), and a kicked member stays out.
      LOG.warn("the control plane dropped this member from party {}; joining it again at the next heartbeat",
          current.id());
      resumption.needed(true);
    } else {
      LOG.warn("heartbeat for party {} failed ({}); retrying in {}", current.id(), error.getMessage(), interval);
      membership.reportUnreachable(error);
    }
  }

  /** Takes in the control plane's heartbeat times of the members, when it keeps them. */
  private void refreshPresence(String partyId) {
    if (controlPlane instanceof PeerPresence presence) {
      worker.afterCall("reading last-seen times", presence.lastSeen(partyId), timeout, (times, error) -> {
        Party current = membership.currentIf(partyId);
        if (error == null && current != null) {
          times.forEach((peerId, heard) -> {
            if (current.peers().containsKey(peerId) && heard != null) {
              membership.heard(peerId, heard);
            }
          });
        }
        return null;
      });
    }
  }
}
