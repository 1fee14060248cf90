package io.partynet.spi;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Optional capability of a {@link ControlPlane}: when the control plane keeps each
 * member's last heartbeat (the local plane does, through the registry), implementing
 * this lets {@code status()} report the control plane's "last seen" instead of the manager's own
 * estimate. Implementations are thread-safe.
 */
public interface PeerPresence {

  /**
   * The last heartbeat of every member of a party that the control plane knows.
   *
   * @param partyId the party's invite code
   * @return heartbeat times by peer id
   */
  CompletableFuture<Map<String, Instant>> lastSeen(String partyId);
}
