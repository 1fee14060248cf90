package io.partynet.wireguard.embedded.internal.forward;

import io.partynet.wireguard.embedded.internal.stack.tcp.BlockingTcp;
import io.partynet.wireguard.embedded.internal.stack.tcp.TcpConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Joins a party TCP connection and a local socket: one thread per direction copies bytes, a FIN
 * on either side becomes a half-close on the other, and a reset on either side resets the other
 * (a local RST through SO_LINGER 0). When both directions ended, both are closed and
 * {@code onClosed} runs.
 */
final class StreamPump {
  private static final int BUFFER = 64 * 1024;
  private static final long POLL_NANOS = 1_000_000_000L;
  /** A peer that takes no data for this long is given up on. */
  private static final long WRITE_TIMEOUT_NANOS = 120_000_000_000L;

  private final TcpConnection party;
  private final Socket local;
  private final AtomicInteger running = new AtomicInteger(2);
  private volatile Runnable onClosed;
  private volatile boolean stopped;

  StreamPump(TcpConnection party, Socket local) {
    this.party = party;
    this.local = local;
  }

  /** Starts both directions; {@code whenClosed} runs once both ended. */
  void start(String name, Runnable whenClosed) {
    this.onClosed = whenClosed;
    Thread in = new Thread(this::partyToLocal, name + "-in");
    Thread out = new Thread(this::localToParty, name + "-out");
    in.setDaemon(true);
    out.setDaemon(true);
    in.start();
    out.start();
  }

  /** Resets both sides (the exposure or forward is closing). */
  void abort() {
    stopped = true;
    party.abort();
    resetLocal();
  }

  private void partyToLocal() {
    byte[] buffer = new byte[BUFFER];
    try {
      OutputStream out = local.getOutputStream();
      while (!stopped) {
        int n;
        try {
          n = BlockingTcp.read(party, buffer, 0, buffer.length, POLL_NANOS);
        } catch (SocketTimeoutException idle) {
          continue;
        }
        if (n < 0) {
          local.shutdownOutput();
          break;
        }
        out.write(buffer, 0, n);
      }
    } catch (IOException partyResetOrLocalFailed) {
      stopped = true;
      resetLocal();
      party.abort();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      finished();
    }
  }

  private void localToParty() {
    byte[] buffer = new byte[BUFFER];
    try {
      InputStream in = local.getInputStream();
      while (!stopped) {
        int n = in.read(buffer);
        if (n < 0) {
          party.shutdownOutput();
          break;
        }
        BlockingTcp.write(party, buffer, 0, n, WRITE_TIMEOUT_NANOS);
      }
    } catch (IOException localResetOrPartyFailed) {
      if (!stopped) {
        stopped = true;
        party.abort();
        resetLocal();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      finished();
    }
  }

  private void resetLocal() {
    try {
      local.setSoLinger(true, 0);
      local.close();
    } catch (IOException alreadyClosed) {
      // nothing left to reset
    }
  }

  private void finished() {
    if (running.decrementAndGet() == 0) {
      party.close();
      try {
        local.close();
      } catch (IOException ignored) {
        // closing a socket both sides are done with
      }
      onClosed.run();
    }
  }
}
