package io.partynet.wireguard.jna.internal.nt;

import java.io.IOException;

/**
 * A wireguard-nt configuration buffer is malformed: truncated, with counts that overrun it, with an
 * unknown address family or prefix length, or with bytes after its last struct. The message names
 * the offending struct and its byte offset. Thread-safe (immutable).
 */
public final class NtConfigFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public NtConfigFormatException(String message) {
    super(message);
  }
}
