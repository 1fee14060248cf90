package io.partynet.core.internal.discovery;

/** A datagram on the relay port that is not a valid discovery frame; it is dropped and counted. */
public final class MalformedFrameException extends Exception {
  private static final long serialVersionUID = 1L;

  public MalformedFrameException(String message) {
    super(message);
  }
}
