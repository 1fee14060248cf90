package io.partynet.core.internal.manager;

import io.partynet.PartyException;
import io.partynet.PartyInfo;
import io.partynet.PartyNotFoundException;
import io.partynet.spi.ControlPlane;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins the application was told failed although the control plane may have applied them (the
 * answer timed out or the connection broke after the request went out). Left alone, such a join
 * leaves a ghost member on the server until the stale timeout; instead this member takes itself
 * out again: once the join call has really ended, and then on every heartbeat tick until the
 * control plane confirms it is not a member. A new join of the same party (the application
 * retrying) cancels the removal: the server applies a join by a known member once.
 *
 * <p>Confined to the manager's worker thread.
 */
final class AbandonedJoins {
  private static final Logger LOG = LoggerFactory.getLogger(AbandonedJoins.class);

  private final ControlPlane controlPlane;
  private final String myPeerId;
  private final Duration timeout;
  /**
   * Party ids whose join call is still running (the client may retry it after the manager gave
   * up): removing now could reach the server before a retried join and leave a ghost after all.
   */
  private final Set<String> callRunning = new LinkedHashSet<>();
  /** Party ids this member may be a ghost in, whose join call has ended. */
  private final Set<String> pending = new LinkedHashSet<>();
  /** Party ids whose removal is waiting for the control plane's answer. */
  private final Set<String> inFlight = new LinkedHashSet<>();

  AbandonedJoins(ControlPlane controlPlane, String myPeerId, Duration timeout) {
    this.controlPlane = controlPlane;
    this.myPeerId = myPeerId;
    this.timeout = timeout;
  }

  /** True when a failed join's request may nevertheless have reached the control plane. */
  static boolean mayHaveLanded(PartyException error) {
    return error.reason() == PartyException.Reason.TIMEOUT
        || error.reason() == PartyException.Reason.CONTROL_PLANE_UNAVAILABLE;
  }

  /** The join of {@code partyId} failed ambiguously: remove this member once {@code call} has ended. */
  void abandon(String partyId, CompletableFuture<PartyInfo> call, ManagerWorker worker) {
    callRunning.add(partyId);
    call.handle((info, error) -> null)
        .thenRun(() -> worker.enqueue("removing an abandoned join", () -> {
          if (callRunning.remove(partyId)) {
            pending.add(partyId);
            remove(partyId, worker);
          }
        }));
  }

  /** The application joins {@code partyId} again: that join decides, nothing is removed. */
  void retried(String partyId) {
    callRunning.remove(partyId);
    pending.remove(partyId);
  }

  /** Tries again to remove this member from every party it may be a ghost in whose join call has ended. */
  void retry(ManagerWorker worker) {
    for (String partyId : Set.copyOf(pending)) {
      remove(partyId, worker);
    }
  }

  private void remove(String partyId, ManagerWorker worker) {
    if (!pending.contains(partyId) || !inFlight.add(partyId)) {
      return;
    }
    worker.afterCall("removing an abandoned join of " + partyId, controlPlane.leaveParty(partyId, myPeerId), timeout,
        (done, error) -> {
          inFlight.remove(partyId);
          if (error == null || isNotMember(error)) {
            if (pending.remove(partyId)) {
              LOG.info("removed this member from party {} after its join timed out", partyId);
            }
          } else {
            LOG.debug("abandoned join of {} not removed yet ({}); retrying with the next heartbeat", partyId,
                error.getMessage());
          }
          return null;
        });
  }

  private static boolean isNotMember(PartyException error) {
    return error instanceof PartyNotFoundException || error.reason() == PartyException.Reason.PEER_NOT_FOUND
        || error.reason() == PartyException.Reason.NOT_IN_PARTY || error.reason() == PartyException.Reason.FORBIDDEN;
  }
}
