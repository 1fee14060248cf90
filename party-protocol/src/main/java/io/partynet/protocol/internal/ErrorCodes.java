package io.partynet.protocol.internal;

import io.partynet.PartyException;
import io.partynet.PartyException.Reason;

/**
 * The one mapping between {@link Reason}s (the JSON error codes), HTTP status codes and the typed
 * exceptions the client raises. Stateless and thread-safe.
 */
public final class ErrorCodes {
  private ErrorCodes() {}

  /** The HTTP status the server answers for {@code reason}. */
  public static int httpStatus(Reason reason) {
    return switch (reason) {
      case INVALID_ARGUMENT, INVALID_INVITE_CODE -> 400;
      case UNAUTHORIZED -> 401;
      case NOT_HOST, NOT_IN_PARTY, FORBIDDEN -> 403;
      case PARTY_NOT_FOUND, PEER_NOT_FOUND -> 404;
      case PARTY_FULL, ALREADY_IN_PARTY, STALE_JOIN -> 409;
      case INVITE_EXPIRED, INVITE_REVOKED, INVITE_USED_UP -> 410;
      case RATE_LIMITED -> 429;
      case CONTROL_PLANE_UNAVAILABLE, STORAGE, BACKEND_UNAVAILABLE, UNSAFE_DIRECTORY -> 503;
      case TIMEOUT -> 504;
      case INTERNAL -> 500;
    };
  }

  /** The reason for a JSON code; unknown codes (from a newer server) map by HTTP status class. */
  public static Reason reasonOf(String code, int httpStatus) {
    if (code != null) {
      for (Reason r : Reason.values()) {
        if (r.name().equals(code)) {
          return r;
        }
      }
    }
    if (httpStatus == 401) {
      return Reason.UNAUTHORIZED;
    }
    if (httpStatus == 429) {
      return Reason.RATE_LIMITED;
    }
    if (httpStatus >= 500) {
      return Reason.CONTROL_PLANE_UNAVAILABLE;
    }
    return Reason.INVALID_ARGUMENT;
  }

  /** The typed exception a client raises for an error answer. */
  public static PartyException toException(Reason reason, String message) {
    String text = "control plane server: " + message;
    return PartyException.of(reason, text);
  }
}
