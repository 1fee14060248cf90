package io.partynet;

import java.util.Objects;

/**
 * Base of every error the SDK reports. Futures returned by the SDK complete exceptionally with
 * one of these (wrapped in a {@link java.util.concurrent.CompletionException} by the JDK); the
 * message says what went wrong and what to do. {@link #reason()} lets code branch without
 * parsing text.
 */
public class PartyException extends RuntimeException {

  /** What kind of failure this is; stable across releases, also sent as the remote error code. */
  public enum Reason {
    PARTY_NOT_FOUND,
    PARTY_FULL,
    NOT_HOST,
    INVALID_INVITE_CODE,
    CONTROL_PLANE_UNAVAILABLE,
    BACKEND_UNAVAILABLE,
    NOT_IN_PARTY,
    ALREADY_IN_PARTY,
    PEER_NOT_FOUND,
    INVALID_ARGUMENT,
    UNAUTHORIZED,
    FORBIDDEN,
    RATE_LIMITED,
    TIMEOUT,
    STORAGE,
    INTERNAL
  }

  private final Reason reason;

  public PartyException(Reason reason, String message) {
    this(reason, message, null);
  }

  public PartyException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
