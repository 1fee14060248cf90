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

  /** The last heartbeat time of every member of {@code partyId} the control plane knows, by peer id. */
  CompletableFuture<Map<String, Instant>> lastSeen(String partyId);
}
