package io.partynet.core.internal.socks;

import io.partynet.PartyStreamSocket;
import io.partynet.spi.PartyNetwork;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection of the proxy: the handshake within a deadline, the CONNECT on the party
 * network, then bytes both ways until both directions ended (each end-of-stream passed on as a
 * half-close), or a reset on either side resets the other. The destination is logged at debug
 * level only; nothing the client sends is logged.
 */
final class SocksSession {
  private static final Logger LOG = LoggerFactory.getLogger(SocksSession.class);
  private static final int BUFFER_BYTES = 16 * 1024;

  private final Socket client;
  private final String name;
  private final SocksProxyServer.Limits limits;
  private final MemberNames names;
  private volatile PartyStreamSocket party;
  private volatile boolean aborted;
  /** When the write to the client in progress began ({@link System#nanoTime}), or {@link #NOT_WRITING}. */
  private volatile long clientWriteSince = NOT_WRITING;
  private static final long NOT_WRITING = Long.MIN_VALUE;

  SocksSession(Socket client, String name, SocksProxyServer.Limits limits, MemberNames names) {
    this.client = client;
    this.name = name;
    this.limits = limits;
    this.names = names;
  }

  /** Serves the client: handshake, connect, relay; always closes both sides. */
  void serve(Supplier<PartyNetwork> network) {
    try {
      SocksRequest request = handshake(limits.handshakeTimeout());
      if (request != null) {
        PartyStreamSocket connected = connect(network, request);
        if (connected != null) {
          relay(connected);
        }
      }
    } catch (IOException e) {
      LOG.debug("{}: {}", name, e.getMessage());
    } finally {
      closeBoth();
    }
  }

  /** Answers a client the proxy has no slot for: the handshake, then GENERAL_FAILURE. */
  void refuse(Duration deadline) {
    try {
      if (handshake(deadline) != null) {
        send(SocksCodec.reply(SocksReply.GENERAL_FAILURE, null, 0));
      }
    } catch (IOException e) {
      LOG.debug("{}: {}", name, e.getMessage());
    } finally {
      closeBoth();
    }
  }

  /** Resets both sides, from any thread; the session's threads then end. */
  void abort() {
    aborted = true;
    PartyStreamSocket p = party;
    if (p != null) {
      p.abort();
    }
    try {
      client.setSoLinger(true, 0);
    } catch (IOException ignored) {
      // closed already
    }
    closeQuietly(client);
  }

  /** The request, or null when the client was told why not. */
  private SocksRequest handshake(Duration deadline) throws IOException {
    InputStream in = new DeadlineInput(client, deadline.toNanos());
    try {
      boolean noAuthentication = SocksCodec.readGreeting(in);
      send(SocksCodec.methodSelection(noAuthentication));
      if (!noAuthentication) {
        LOG.debug("{}: the client offers no method without authentication", name);
        return null;
      }
    } catch (SocksRejected e) {
      send(SocksCodec.methodSelection(false));
      throw e;
    }
    try {
      return SocksCodec.readRequest(in);
    } catch (SocksRejected e) {
      send(SocksCodec.reply(e.reply(), null, 0));
      throw e;
    }
  }

  private PartyStreamSocket connect(Supplier<PartyNetwork> network, SocksRequest request) throws IOException {
    PartyNetwork net;
    PartyStreamSocket connected;
    try {
      net = network.get();
    } catch (RuntimeException e) {
      send(SocksCodec.reply(SocksReply.NETWORK_UNREACHABLE, null, 0));
      throw new IOException("no party network: " + e.getMessage(), e);
    }
    String virtualIp;
    try {
      virtualIp = virtualIpOf(request);
    } catch (SocksRejected e) {
      send(SocksCodec.reply(e.reply(), null, 0));
      throw e;
    }
    try {
      connected = net.connect(virtualIp, request.port(), limits.connectTimeout());
    } catch (IOException | RuntimeException e) {
      send(SocksCodec.reply(ConnectFailures.replyFor(e), null, 0));
      throw new IOException("connecting to " + virtualIp + ":" + request.port() + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      send(SocksCodec.reply(SocksReply.GENERAL_FAILURE, null, 0));
      return null;
    }
    party = connected;
    if (aborted) {
      connected.abort();
      return null;
    }
    send(SocksCodec.reply(SocksReply.SUCCEEDED, boundIp(net), connected.localPort()));
    return connected;
  }

  /** The request's IPv4 address, or the one member's with the name it gives. */
  private String virtualIpOf(SocksRequest request) throws SocksRejected {
    if (!request.byName()) {
      return request.host();
    }
    List<String> ips = names.virtualIpsNamed(request.host());
    if (ips.size() == 1) {
      return ips.get(0);
    }
    // The name itself stays out of the log, as every destination above debug level.
    throw new SocksRejected(SocksReply.HOST_UNREACHABLE, ips.isEmpty()
        ? "no member of the party has the name asked for (" + request.host().length() + " characters)"
        : ips.size() + " members share the name asked for; connect to a virtual IP instead");
  }

  private static String boundIp(PartyNetwork net) {
    String ip = net.localIp();
    return SocksCodec.parseIpv4Literal(ip) == null ? null : ip;
  }

  private void relay(PartyStreamSocket connected) throws IOException {
    connected.setReadTimeout(limits.idlePoll());
    client.setSoTimeout((int) limits.idlePoll().toMillis());
    Thread down = new Thread(() -> carryDown(connected), name + "-down");
    down.setDaemon(true);
    down.start();
    carryUp(connected);
    try {
      down.join(); // ends when the peer's stream ends or either side is reset
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abort();
    }
  }

  /**
   * Whether a write to the client has been blocked for longer than {@code timeout} at {@code now}:
   * the client stopped reading while the peer kept sending.
   */
  boolean clientWriteStalled(long now, Duration timeout) {
    long since = clientWriteSince;
    return since != NOT_WRITING && now - since > timeout.toNanos();
  }

  /** Client to party; the client's end-of-stream becomes a half-close towards the peer. */
  private void carryUp(PartyStreamSocket connected) {
    try {
      carry(client.getInputStream(), connected.outputStream(), connected::shutdownOutput, false);
    } catch (IOException e) {
      ended("client", e);
    }
  }

  /** Party to client; the peer's end-of-stream becomes a half-close towards the client. */
  private void carryDown(PartyStreamSocket connected) {
    try {
      carry(connected.inputStream(), client.getOutputStream(), client::shutdownOutput, true);
    } catch (IOException e) {
      ended("party", e);
    }
  }

  /** A direction failed (a reset, a write timeout): the other side is reset too. */
  private void ended(String side, IOException e) {
    if (!aborted) {
      LOG.debug("{}: {} side failed: {}", name, side, e.getMessage());
    }
    abort();
  }

  private interface HalfClose {
    void run() throws IOException;
  }

  /**
   * Copies until {@code in} ends; {@code toClient} marks the direction whose writes the proxy's
   * watchdog times (the party socket's writes time out by themselves).
   */
  private void carry(InputStream in, OutputStream out, HalfClose atEnd, boolean toClient) throws IOException {
    byte[] buffer = new byte[BUFFER_BYTES];
    while (true) {
      int n;
      try {
        n = in.read(buffer);
      } catch (SocketTimeoutException idle) {
        if (aborted) {
          return;
        }
        continue; // an idle game connection is fine; the timeout only lets a closed proxy be noticed
      }
      if (n < 0) {
        atEnd.run();
        return;
      }
      if (toClient) {
        clientWriteSince = System.nanoTime();
      }
      try {
        out.write(buffer, 0, n);
        out.flush();
      } finally {
        if (toClient) {
          clientWriteSince = NOT_WRITING;
        }
      }
    }
  }

  private void send(byte[] message) throws IOException {
    OutputStream out = client.getOutputStream();
    out.write(message);
    out.flush();
  }

  private void closeBoth() {
    PartyStreamSocket p = party;
    if (p != null) {
      p.close();
    }
    closeQuietly(client);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing left to release
    }
  }
}
