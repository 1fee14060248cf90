package io.partynet.wireguard.jna.internal.sockets;

import io.partynet.PartyServerSocket;
import io.partynet.PartyStreamSocket;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/** A TCP port listening on the virtual IP, as an operating-system socket. Thread-safe. */
final class SystemServerSocket implements PartyServerSocket {
  private final ServerSocketChannel server;
  private final Selector acceptable;

  SystemServerSocket(ServerSocketChannel server) throws IOException {
    this.server = server;
    server.configureBlocking(false);
    this.acceptable = Selector.open();
    server.register(acceptable, SelectionKey.OP_ACCEPT);
  }

  @Override
  public int localPort() {
    return server.socket().getLocalPort();
  }

  @Override
  public PartyStreamSocket accept(Duration timeout) throws IOException, InterruptedException {
    synchronized (acceptable) {
      long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
      while (true) {
        SocketChannel accepted = server.accept();
        if (accepted != null) {
          return new SystemStreamSocket(accepted);
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return null;
        }
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
        acceptable.select(Math.max(1, left / 1_000_000L));
        acceptable.selectedKeys().clear();
      }
    }
  }

  @Override
  public void close() {
    SocketPump.closeQuietly(server);
    SocketPump.closeQuietly(acceptable);
  }
}
