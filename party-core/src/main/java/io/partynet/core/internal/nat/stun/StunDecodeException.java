package io.partynet.core.internal.nat.stun;

import java.io.IOException;

/**
 * A datagram is not a well-formed STUN message or ChannelData frame. It is the only exception the
 * decoders throw for any input: callers drop the datagram and keep going. Immutable.
 */
public final class StunDecodeException extends IOException {

  public StunDecodeException(String message) {
    super(message);
  }
}
