package io.partynet;

import java.util.Objects;

/**
 * Base of every error the SDK reports. Futures returned by the SDK complete exceptionally with
 * one of these (wrapped in a {@link java.util.concurrent.CompletionException} by the JDK); the
 * message says what went wrong and what to do. {@link #reason()} lets code branch without
 * parsing text. Make one with {@link #of}, which always yields the subclass that matches the
 * reason, so {@code catch (PartyFullException e)} and {@code e.reason() == PARTY_FULL} agree.
 * Thread-safe: it carries no mutable state of its own, so once thrown it may be handed to any
 * thread.
 */
public class PartyException extends RuntimeException {

  /**
   * What kind of failure this is; stable across releases, also sent as the remote error code.
   * Immutable and thread-safe.
   */
  public enum Reason {
    /** No party has the invite code (it ended, or never existed). */
    PARTY_NOT_FOUND,
    /** The party has its maximum number of members. */
    PARTY_FULL,
    /** Only the host may do this (kick, disband). */
    NOT_HOST,
    /** The text is not a well-formed invite code. */
    INVALID_INVITE_CODE,
    /** The control plane cannot be reached or did not answer in time. */
    CONTROL_PLANE_UNAVAILABLE,
    /** No network backend (or no SDK implementation) can run here. */
    BACKEND_UNAVAILABLE,
    /** The operation needs a current party and there is none. */
    NOT_IN_PARTY,
    /** Create or join while already in a party. */
    ALREADY_IN_PARTY,
    /** The member named is not in the party. */
    PEER_NOT_FOUND,
    /** A value breaks its rule (a name, an id, a setting). */
    INVALID_ARGUMENT,
    /** The control plane does not know the caller's credentials. */
    UNAUTHORIZED,
    /** The caller acted for another member, or took an id that is not its own. */
    FORBIDDEN,
    /** Too many requests; try again later. */
    RATE_LIMITED,
    /** A bounded wait ran out. */
    TIMEOUT,
    /** State or settings could not be read or written. */
    STORAGE,
    /**
     * A directory or file the SDK must trust is owned by another user or open to others (the local
     * control plane's folder, the home): someone else could read or forge its content.
     */
    UNSAFE_DIRECTORY,
    /** The invite code's time ran out: ask the host for a new one. */
    INVITE_EXPIRED,
    /** The host revoked the invite code: ask the host for a new one. */
    INVITE_REVOKED,
    /** The invite code was used as often as the host allowed: ask the host for a new one. */
    INVITE_USED_UP,
    /**
     * A late copy of a join whose membership has already ended (the member left or was removed)
     * reached the control plane and was refused, so it cannot bring the member back: the join that
     * sent it had already given up. Send a new join if the member should be in the party.
     */
    STALE_JOIN,
    /** A bug; the message and the log say more. */
    INTERNAL
  }

  /** What kind of failure this is (part of the serialized form). */
  private final Reason reason;

  /**
   * For subclasses; everyone else makes one with {@link #of}, which picks the matching subclass.
   *
   * @param reason what kind of failure this is
   * @param message what went wrong and what to do
   */
  protected PartyException(Reason reason, String message) {
    this(reason, message, null);
  }

  /**
   * For subclasses; everyone else makes one with {@link #of}, which picks the matching subclass.
   *
   * @param reason what kind of failure this is
   * @param message what went wrong and what to do
   * @param cause the underlying error, or null
   */
  protected PartyException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * What kind of failure this is.
   *
   * @return the reason, stable across releases
   */
  public Reason reason() {
    return reason;
  }

  /**
   * The exception for {@code reason}: its typed subclass where one exists, otherwise this class.
   *
   * @param reason what kind of failure this is
   * @param message what went wrong and what to do
   * @return a new exception whose class matches {@code reason}, without a cause
   * @throws NullPointerException when {@code reason} is null
   */
  public static PartyException of(Reason reason, String message) {
    return of(reason, message, null);
  }

  /**
   * The exception for {@code reason} with {@code cause}: its typed subclass where one exists,
   * otherwise this class.
   *
   * @param reason what kind of failure this is
   * @param message what went wrong and what to do
   * @param cause the underlying error, or null
   * @return a new exception whose class matches {@code reason}
   * @throws NullPointerException when {@code reason} is null
   */
  public static PartyException of(Reason reason, String message, Throwable cause) {
    return switch (Objects.requireNonNull(reason, "reason")) {
      case PARTY_NOT_FOUND -> new PartyNotFoundException(message, cause);
      case PARTY_FULL -> new PartyFullException(message, cause);
      case NOT_HOST -> new NotHostException(message, cause);
      case INVALID_INVITE_CODE -> new InvalidInviteCodeException(message, cause);
      case CONTROL_PLANE_UNAVAILABLE -> new ControlPlaneUnavailableException(message, cause);
      case BACKEND_UNAVAILABLE -> new BackendUnavailableException(message, cause);
      case UNSAFE_DIRECTORY -> new UnsafeDirectoryException(message, cause);
      case INVITE_EXPIRED -> new InviteExpiredException(message, cause);
      case INVITE_REVOKED -> new InviteRevokedException(message, cause);
      case INVITE_USED_UP -> new InviteUsedUpException(message, cause);
      default -> new PartyException(reason, message, cause);
    };
  }
}
