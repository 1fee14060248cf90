package io.partynet.wireguard.embedded.internal.forward;

import io.partynet.PartyServerSocket;
import io.partynet.PartyStreamSocket;
import io.partynet.wireguard.embedded.internal.stack.tcp.TcpConnection;
import io.partynet.wireguard.embedded.internal.stack.tcp.TcpListener;
import java.io.IOException;
import java.time.Duration;

/** A {@link PartyServerSocket} on a userspace {@link TcpListener}. */
final class EmbeddedServerSocket implements PartyServerSocket {
  private final TcpListener listener;

  EmbeddedServerSocket(TcpListener listener) {
    this.listener = listener;
  }

  @Override
  public int localPort() {
    return listener.port();
  }

  @Override
  public PartyStreamSocket accept(Duration timeout) throws IOException, InterruptedException {
    TcpConnection c = listener.accept(Math.max(0, timeout.toNanos()));
    return c == null ? null : new EmbeddedStreamSocket(c);
  }

  @Override
  public void close() {
    listener.close();
  }
}
