package io.partynet.wireguard.embedded.internal.noise;

import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.spec.SecretKeySpec;

/**
 * One session's transport keys with its send counter and receive replay window.
 *
 * <p>Thread-safe for sending ({@link #nextSendCounter()} is atomic); the replay window is used by
 * the single receive thread.
 */
public final class Keypair {
  private final SecretKeySpec sendKey;
  private final SecretKeySpec receiveKey;
  private final AtomicLong sendCounter = new AtomicLong();
  private final ReplayWindow replayWindow = new ReplayWindow();
  private final long createdNanos;
  private final boolean initiator;
  private final int localIndex;
  private final int remoteIndex;

  Keypair(SecretKeySpec sendKey, SecretKeySpec receiveKey, long createdNanos, boolean initiator, int localIndex,
      int remoteIndex) {
    this.sendKey = sendKey;
    this.receiveKey = receiveKey;
    this.createdNanos = createdNanos;
    this.initiator = initiator;
    this.localIndex = localIndex;
    this.remoteIndex = remoteIndex;
  }

  public SecretKeySpec sendKey() {
    return sendKey;
  }

  public SecretKeySpec receiveKey() {
    return receiveKey;
  }

  /** The counter for the next packet, or -1 when the keypair has sent its last allowed message. */
  public long nextSendCounter() {
    long counter = sendCounter.getAndIncrement();
    return Long.compareUnsigned(counter, Timing.REJECT_AFTER_MESSAGES) >= 0 ? -1 : counter;
  }

  public long sentMessages() {
    return sendCounter.get();
  }

  public ReplayWindow replayWindow() {
    return replayWindow;
  }

  public long createdNanos() {
    return createdNanos;
  }

  public boolean isInitiator() {
    return initiator;
  }

  public int localIndex() {
    return localIndex;
  }

  public int remoteIndex() {
    return remoteIndex;
  }

  /** Usable to send and receive: younger than REJECT_AFTER_TIME and below REJECT_AFTER_MESSAGES. */
  public boolean isValid(long nowNanos) {
    return nowNanos - createdNanos < Timing.REJECT_AFTER_TIME
        && Long.compareUnsigned(sendCounter.get(), Timing.REJECT_AFTER_MESSAGES) < 0;
  }
}
