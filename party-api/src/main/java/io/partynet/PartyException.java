package io.partynet;

import java.util.Objects;

/**
 * Base of every error the SDK reports. Futures returned by the SDK complete exceptionally with
 * one of these (wrapped in a {@link java.util.concurrent.CompletionException} by the JDK); the
 * message says what went wrong and what to do. {@link #reason()} lets code branch without
 * parsing text. Make one with {@link #of}, which always yields the subclass that matches the
 * reason, so {@code catch (PartyFullException e)} and {@code e.reason() == PARTY_FULL} agree.
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

  /** For subclasses; everyone else makes one with {@link #of}, which picks the matching subclass. */
  protected PartyException(Reason reason, String message) {
    this(reason, message, null);
  }

  /** For subclasses; everyone else makes one with {@link #of}, which picks the matching subclass. */
  protected PartyException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }

  /** The exception for {@code reason}: its typed subclass where one exists, otherwise this class. */
  public static PartyException of(Reason reason, String message) {
    return of(reason, message, null);
  }

  /** The exception for {@code reason} with {@code cause}: its typed subclass where one exists. */
  public static PartyException of(Reason reason, String message, Throwable cause) {
    return switch (Objects.requireNonNull(reason, "reason")) {
      case PARTY_NOT_FOUND -> new PartyNotFoundException(message, cause);
      case PARTY_FULL -> new PartyFullException(message, cause);
      case NOT_HOST -> new NotHostException(message, cause);
      case INVALID_INVITE_CODE -> new InvalidInviteCodeException(message, cause);
      case CONTROL_PLANE_UNAVAILABLE -> new ControlPlaneUnavailableException(message, cause);
      case BACKEND_UNAVAILABLE -> new BackendUnavailableException(message, cause);
      default -> new PartyException(reason, message, cause);
    };
  }
}
