package io.partynet.wireguard.jna.internal.uapi;

import java.io.IOException;

/**
 * Text that should follow the WireGuard userspace API does not: an unknown or misplaced key, a
 * value that does not parse, a missing terminator, or an oversized message. Immutable and thread-safe.
 */
public final class MalformedUapiException extends IOException {
  public MalformedUapiException(String message) {
    super(message);
  }
}
