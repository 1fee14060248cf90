package io.partynet.examples.swing;

import io.partynet.DisbandReason;
import io.partynet.LeaveReason;
import io.partynet.PartyException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * What to tell a player when an SDK call fails: one short sentence that says what happened and
 * what to do, chosen by {@link PartyException#reason()} (never by parsing the message). The same
 * table is in docs/launcher-guide.md. Stateless; thread-safe.
 */
final class PlayerMessages {
  private PlayerMessages() {}

  static String forFailure(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof PartyException e) {
      return forReason(e.reason());
    }
    if (cause instanceof TimeoutException) {
      return "That took too long. Check your internet connection and try again.";
    }
    return "Something went wrong (" + cause.getClass().getSimpleName() + "). Try again; if it keeps happening, "
        + "restart the launcher.";
  }

  static String forReason(PartyException.Reason reason) {
    return switch (reason) {
      case PARTY_NOT_FOUND -> "No party has this invite code any more. Ask your friend for a new code.";
      case PARTY_FULL -> "This party is full. Ask the host to make room, or start your own party.";
      case NOT_HOST -> "Only the host can do that.";
      case INVALID_INVITE_CODE -> "That is not an invite code. It looks like 7KQ2-M9XD-4RTX: check for typos.";
      case INVITE_EXPIRED -> "This invite code has expired. Ask your friend for a new one.";
      case INVITE_REVOKED -> "The host cancelled this invite code. Ask your friend for a new one.";
      case INVITE_USED_UP -> "This invite code has been used as often as the host allowed. Ask your friend for a new one.";
      case STALE_JOIN -> "An old attempt to join arrived too late and was ignored. Join again if you want to play.";
      case UNSAFE_DIRECTORY -> "Another user on this computer could tamper with the launcher's folder. Ask for help to fix it.";
      case CONTROL_PLANE_UNAVAILABLE -> "The party server cannot be reached. Check your internet connection and try again.";
      case BACKEND_UNAVAILABLE -> "The private network cannot start on this computer. Reinstall or update the launcher.";
      case NOT_IN_PARTY -> "You are not in a party.";
      case ALREADY_IN_PARTY -> "You are already in a party. Leave it first.";
      case PEER_NOT_FOUND -> "That player is no longer in the party.";
      case INVALID_ARGUMENT -> "That name is not allowed. Use 1 to 32 letters, digits or spaces.";
      case UNAUTHORIZED, FORBIDDEN -> "The party server refused this request. Restart the launcher and try again.";
      case RATE_LIMITED -> "Too many attempts. Wait a minute and try again.";
      case TIMEOUT -> "That took too long. Check your internet connection and try again.";
      case STORAGE -> "The launcher cannot save its data. Check that the disk is not full.";
      case INTERNAL -> "Something went wrong on our side. Try again; if it keeps happening, restart the launcher.";
      default -> "Something went wrong (" + reason + "). Try again; if it keeps happening, restart the launcher.";
    };
  }

  /** Why the party ended, from {@link io.partynet.PartyListener#onPartyDisbanded}'s reason. */
  static String forPartyEnd(DisbandReason reason) {
    return switch (reason) {
      case HOST_LEFT -> "The host left, so the party is over.";
      case DISBANDED -> "The host ended the party.";
      case EMPTY -> "Everyone left, so the party is over.";
      case HOST_STALE -> "The host lost the connection, so the party is over.";
      case GONE -> "The party ended while you were away.";
    };
  }

  /** Why the local player is out, from {@link io.partynet.PartyListener#onPeerLeft}'s reason about itself. */
  static String forRemoval(LeaveReason reason) {
    return switch (reason) {
      case KICKED -> "The host removed you from the party.";
      case STALE -> "You were offline too long and dropped out of the party.";
      case REMOVED -> "You are no longer in the party.";
      case LEFT -> "You left the party.";
    };
  }

  private static Throwable unwrap(Throwable t) {
    Throwable cause = t;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
