package io.partynet.core.internal.socks;

import java.io.IOException;

/** A client's greeting or request cannot be served; {@link #reply()} is what the client is told. */
public final class SocksRejected extends IOException {
  private static final long serialVersionUID = 1L;
  private final transient SocksReply reply;

  /** A rejection with the reply code sent to the client and a message for the log. */
  public SocksRejected(SocksReply reply, String message) {
    super(message + " (SOCKS5 reply " + reply + ")");
    this.reply = reply;
  }

  /** The reply code sent to the client. */
  public SocksReply reply() {
    return reply;
  }
}
