package io.partynet.wireguard.jna.internal.device;

import io.partynet.PartyException;
import java.util.Objects;

/**
 * A WireGuard device or peer setting was rejected before anything was sent to WireGuard.
 * {@link #problem()} says which kind of value was wrong; the message names the value and the fix.
 *
 * <p>Immutable and thread-safe.
 */
public final class InvalidDeviceConfigException extends PartyException {

  /** Which kind of value was rejected. */
  public enum Problem {
    BAD_KEY,
    BAD_ALLOWED_IP,
    BAD_PORT,
    BAD_ENDPOINT,
    BAD_KEEPALIVE,
    DUPLICATE_PEER
  }

  private final Problem problem;

  public InvalidDeviceConfigException(Problem problem, String message, Throwable cause) {
    super(Reason.INVALID_ARGUMENT, message, cause);
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  public InvalidDeviceConfigException(Problem problem, String message) {
    this(problem, message, null);
  }

  public Problem problem() {
    return problem;
  }
}
