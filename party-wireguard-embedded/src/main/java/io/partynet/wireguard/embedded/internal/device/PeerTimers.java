package io.partynet.wireguard.embedded.internal.device;

import io.partynet.wireguard.embedded.internal.noise.Timing;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A peer's WireGuard timer state machine ({@code timers.go} in wireguard-go), each timer a deadline
 * in the injected clock's nanoseconds that {@link Peer#tick} fires. The event methods are named
 * after wireguard-go's {@code timers*} functions; the {@code take*} methods report a due timer and
 * disarm it.
 *
 * <p>Not thread-safe: guarded by the owning {@link Peer}'s monitor.
 */
final class PeerTimers {
  static final long NEVER = Long.MAX_VALUE;

  private long retransmitHandshakeAt = NEVER;
  private long sendKeepaliveAt = NEVER;
  private long newHandshakeAt = NEVER;
  private long zeroKeyMaterialAt = NEVER;
  private long persistentKeepaliveAt = NEVER;
  private int persistentKeepaliveSeconds;
  private int handshakeAttempts;
  private boolean needAnotherKeepalive;
  private boolean sentLastMinuteHandshake;

  /** Sets the persistent keepalive interval; true when it was just turned on. */
  boolean persistentKeepalive(int seconds) {
    boolean turnedOn = seconds > 0 && persistentKeepaliveSeconds == 0;
    persistentKeepaliveSeconds = seconds;
    if (seconds == 0) {
      persistentKeepaliveAt = NEVER;
    }
    return turnedOn;
  }

  boolean persistentKeepaliveOn() {
    return persistentKeepaliveSeconds > 0;
  }

  void dataSent(long now) {
    if (newHandshakeAt == NEVER) {
      newHandshakeAt = now + Timing.KEEPALIVE_TIMEOUT + Timing.REKEY_TIMEOUT + jitter();
    }
  }

  void dataReceived(long now) {
    if (sendKeepaliveAt == NEVER) {
      sendKeepaliveAt = now + Timing.KEEPALIVE_TIMEOUT;
    } else {
      needAnotherKeepalive = true;
    }
  }

  void anyAuthenticatedPacketSent() {
    sendKeepaliveAt = NEVER;
  }

  void anyAuthenticatedPacketReceived() {
    newHandshakeAt = NEVER;
  }

  void handshakeInitiated(long now) {
    retransmitHandshakeAt = now + Timing.REKEY_TIMEOUT + jitter();
  }

  void handshakeComplete() {
    retransmitHandshakeAt = NEVER;
    handshakeAttempts = 0;
    sentLastMinuteHandshake = false;
  }

  void sessionDerived(long now) {
    zeroKeyMaterialAt = now + 3 * Timing.REJECT_AFTER_TIME;
  }

  void anyAuthenticatedPacketTraversal(long now) {
    if (persistentKeepaliveSeconds > 0) {
      persistentKeepaliveAt = now + persistentKeepaliveSeconds * 1_000_000_000L;
    }
  }

  /** A new (not retried) handshake starts counting attempts from zero. */
  void resetHandshakeAttempts() {
    handshakeAttempts = 0;
  }

  /** True (once) when the last-minute handshake before REJECT_AFTER_TIME is due and not yet sent. */
  boolean takeLastMinuteHandshake() {
    if (sentLastMinuteHandshake) {
      return false;
    }
    sentLastMinuteHandshake = true;
    return true;
  }

  boolean takeRetransmitHandshake(long now) {
    if (!take(retransmitHandshakeAt, now)) {
      return false;
    }
    retransmitHandshakeAt = NEVER;
    return true;
  }

  /** After a due retransmission: true when the attempts are used up (then stop keepalives). */
  boolean handshakeAttemptsExhausted(long now) {
    if (handshakeAttempts > Timing.MAX_TIMER_HANDSHAKES) {
      sendKeepaliveAt = NEVER;
      if (zeroKeyMaterialAt == NEVER) {
        zeroKeyMaterialAt = now + 3 * Timing.REJECT_AFTER_TIME;
      }
      return true;
    }
    handshakeAttempts++;
    return false;
  }

  int handshakeAttempts() {
    return handshakeAttempts;
  }

  boolean takeSendKeepalive(long now) {
    if (!take(sendKeepaliveAt, now)) {
      return false;
    }
    sendKeepaliveAt = NEVER;
    return true;
  }

  /** After a keepalive was sent for a due timer: data arrived meanwhile asks for another one later. */
  void keepaliveSent(long now) {
    if (needAnotherKeepalive) {
      needAnotherKeepalive = false;
      sendKeepaliveAt = now + Timing.KEEPALIVE_TIMEOUT;
    }
  }

  boolean takeNewHandshake(long now) {
    if (!take(newHandshakeAt, now)) {
      return false;
    }
    newHandshakeAt = NEVER;
    return true;
  }

  boolean takeZeroKeyMaterial(long now) {
    if (!take(zeroKeyMaterialAt, now)) {
      return false;
    }
    zeroKeyMaterialAt = NEVER;
    return true;
  }

  boolean takePersistentKeepalive(long now) {
    if (!take(persistentKeepaliveAt, now)) {
      return false;
    }
    persistentKeepaliveAt = NEVER;
    return true;
  }

  private static boolean take(long deadline, long now) {
    return deadline <= now;
  }

  /**
   * Timer jitter is not a secret (wireguard-go draws it from a fast PRNG); SecureRandom would
   * allocate on every data packet sent after one was received, which is every TCP segment.
   */
  private static long jitter() {
    return (long) (ThreadLocalRandom.current().nextDouble() * Timing.REKEY_TIMEOUT_JITTER_MAX);
  }
}
