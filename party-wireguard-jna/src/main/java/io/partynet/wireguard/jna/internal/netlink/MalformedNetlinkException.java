package io.partynet.wireguard.jna.internal.netlink;

import java.io.IOException;

/**
 * Bytes that should be a netlink message, struct or attribute are not: too short, a length that
 * points outside the buffer, or a value of the wrong size. Immutable and thread-safe.
 */
public final class MalformedNetlinkException extends IOException {
  public MalformedNetlinkException(String message) {
    super(message);
  }
}
