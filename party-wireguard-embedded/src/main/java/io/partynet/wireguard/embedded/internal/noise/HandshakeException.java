package io.partynet.wireguard.embedded.internal.noise;

/**
 * A handshake message that does not authenticate or does not fit the handshake's state; the
 * device drops the message and counts it. Not an error of the local side. Immutable.
 */
public final class HandshakeException extends Exception {
  private static final long serialVersionUID = 1L;

  public HandshakeException(String message) {
    super(message, null, false, false);
  }
}
