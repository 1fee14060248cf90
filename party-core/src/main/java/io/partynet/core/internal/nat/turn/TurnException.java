package io.partynet.core.internal.nat.turn;

import java.io.IOException;
import java.util.Objects;

/**
 * A TURN operation failed; {@link #reason()} says how, {@link #errorCode()} carries the server's code.
 * Immutable and thread-safe.
 */
public final class TurnException extends IOException {

  /** Why a TURN operation failed. */
  public enum Reason {
    /** No answer within the retransmission schedule: the server is unreachable or UDP is blocked. */
    TIMEOUT,
    /** The server refused the credentials (401 after authenticating): check the TURN username and password. */
    UNAUTHORIZED,
    /** The server answered with another error code. */
    ERROR_RESPONSE,
    /** The client was closed. */
    CLOSED,
    /** The server's answer lacked what RFC 8656 says it must carry. */
    PROTOCOL
  }

  private final Reason reason;
  private final int errorCode;

  public TurnException(Reason reason, int errorCode, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.errorCode = errorCode;
  }

  public Reason reason() {
    return reason;
  }

  /** The STUN error code (300-699), or 0 when the failure was not an error response. */
  public int errorCode() {
    return errorCode;
  }
}
