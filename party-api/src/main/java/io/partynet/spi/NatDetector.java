package io.partynet.spi;

import java.util.concurrent.CompletableFuture;

/**
 * Classifies the local NAT (STUN, RFC 5780). The future never fails: when detection is impossible
 * it completes with {@link io.partynet.NatType#UNKNOWN} and a reason, and the member continues
 * relay-only. Thread-safe.
 */
public interface NatDetector {

  /**
   * Detects from one UDP port, so the mapping learned is that port's.
   *
   * @param localPort the local UDP port (WireGuard's listen port), 0 for any
   * @return the report; never completes exceptionally
   */
  CompletableFuture<NatReport> detect(int localPort);
}
