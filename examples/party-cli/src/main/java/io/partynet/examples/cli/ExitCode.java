package io.partynet.examples.cli;

import io.partynet.PartyException;

/**
 * The documented exit codes of {@code party}. Immutable and thread-safe.
 */
enum ExitCode {
  /** Done. */
  OK(0),
  /** Anything not covered below. */
  FAILURE(1),
  /** The command line is wrong. */
  USAGE(2),
  /** No such party, a malformed, expired, revoked or used-up invite code, or no member running in the home directory. */
  NOT_FOUND(3),
  /** The network backend or control plane cannot be used here. */
  UNAVAILABLE(4);

  final int code;

  ExitCode(int code) {
    this.code = code;
  }

  static ExitCode of(PartyException e) {
    return switch (e.reason()) {
      case PARTY_NOT_FOUND, INVALID_INVITE_CODE, NOT_IN_PARTY, PEER_NOT_FOUND,
          INVITE_EXPIRED, INVITE_REVOKED, INVITE_USED_UP -> NOT_FOUND;
      case BACKEND_UNAVAILABLE, CONTROL_PLANE_UNAVAILABLE, TIMEOUT -> UNAVAILABLE;
      case INVALID_ARGUMENT -> USAGE;
      default -> FAILURE;
    };
  }
}
