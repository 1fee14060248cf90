package io.partynet.core.internal.manager;

import io.partynet.ConnectionType;
import io.partynet.DisbandReason;
import io.partynet.Party;
import io.partynet.PartyConfig;
import io.partynet.PartyException;
import io.partynet.PartyInfo;
import io.partynet.Peer;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Taking a party up again without ever waiting for the control plane first (docs/PARTY.md,
 * "Recovery after a restart"): {@link #restore} brings the interface and the known members up
 * from the persisted state at once; {@link #resume} then starts the control plane if it was
 * unreachable (a failure keeps the party and is retried on the next tick), learns where this
 * member is now the way a join does ({@link LocalEndpoint#detect}: no waiting for NAT
 * classification), and joins again with that, so every member dials it there.
 *
 * <p>Confined to the manager's worker thread.
 */
final class PartyResume {
  private static final Logger LOG = LoggerFactory.getLogger(PartyResume.class);

  private final Membership membership;
  private final ManagerParts parts;
  private final ControlPlaneSession session;
  private final LocalEndpoint local;
  private final String myPeerId;
  private final PartyConfig config;
  private final Duration timeout;
  /** The persisted or current party must be joined again. */
  private boolean needed;
  /** A rejoin is waiting for the control plane's answer; ticks meanwhile do not start another. */
  private boolean rejoining;

  PartyResume(Membership membership, ManagerParts parts, ControlPlaneSession session, String myPeerId) {
    this.membership = membership;
    this.parts = parts;
    this.session = session;
    this.local = parts.local();
    this.myPeerId = myPeerId;
    this.config = parts.config();
    this.timeout = config.requestTimeout();
  }

  boolean needed() {
    return needed;
  }

  void needed(boolean value) {
    needed = value;
  }

  /**
   * Takes up {@code persisted} and brings its data plane up from what was persisted (our address,
   * the members and where they were), so tunnels work before the control plane answers.
   */
  void restore(Party persisted, int prefixLength) {
    needed = true;
    LOG.info("resuming party {} from the persisted state", persisted.id());
    Peer me = persisted.peers().get(myPeerId);
    ConnectionLayer links = null;
    if (me != null && me.virtualIp() != null) {
      local.assume(me.natType(), me.endpoint());
      try {
        links = ConnectionLayer.open(parts, membership.upward(), persisted.id(), me, prefixLength, persisted.getPeerList(),
            membership::party);
      } catch (IOException | RuntimeException e) {
        LOG.warn("the interface of party {} did not come up from the persisted state ({}); it comes up when the "
            + "party is rejoined", persisted.id(), e.toString());
      }
    }
    membership.restored(persisted, links);
  }

  /** Starts a rejoin unless one is under way; without the control plane it waits for the next tick. */
  void resume() {
    Party current = membership.party();
    if (current == null || !needed || rejoining) {
      return;
    }
    if (current.peers().get(myPeerId) == null) {
      LOG.warn("the persisted party {} does not list this member; clearing it", current.id());
      membership.ended(current, DisbandReason.GONE);
      return;
    }
    try {
      session.ensureStarted();
    } catch (PartyException e) {
      LOG.info("party {} kept while its control plane cannot be reached ({}); retrying in {}", current.id(),
          e.getMessage(), config.heartbeatInterval());
      return;
    }
    boolean listening = membership.links() != null && !parts.dataPlane().isOff();
    local.detect(listening);
    Peer self = current.peers().get(myPeerId).withNatType(local.natType()).withEndpoint(local.endpoint())
        .withLatencyMs(null).withConnectionType(ConnectionType.NONE);
    // The answer comes back as new work: nothing queues behind a stalled control plane meanwhile.
    rejoining = true;
    String partyId = current.id();
    parts.worker().afterCall("rejoining " + partyId, parts.controlPlane().joinParty(partyId, self), timeout,
        (info, error) -> {
          rejoining = false;
          if (membership.currentIf(partyId) != null && needed) {
            rejoined(partyId, info, error);
          }
          return null;
        });
  }

  private void rejoined(String partyId, PartyInfo info, PartyException e) {
    Party current = membership.currentIf(partyId);
    if (e != null) {
      // The plane asked is the party's own (ControlPlaneFallback), so "not found" there means gone.
      if (Membership.isGone(e) || e.reason() == PartyException.Reason.FORBIDDEN
          || e.reason() == PartyException.Reason.PARTY_FULL) {
        LOG.warn("party {} cannot be resumed ({}); clearing it", current.id(), e.getMessage());
        membership.ended(current, DisbandReason.GONE);
      } else {
        LOG.warn("party {} not resumed yet ({}); retrying in {}", current.id(), e.getMessage(),
            config.heartbeatInterval());
        membership.reportUnreachable(e);
      }
      return;
    }
    session.reachable(true, "party " + partyId + " rejoined");
    try {
      membership.enter(info);
      needed = false;
    } catch (IOException | RuntimeException failure) {
      LOG.warn("party {} rejoined but the network did not come up ({}); retrying in {}", current.id(),
          failure.toString(), config.heartbeatInterval());
    }
  }
}
