package io.partynet.core.internal.nat.turn;

import io.partynet.Endpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.DatagramChannel;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay path of design.md section 5: a loopback UDP port that a WireGuard implementation uses
 * as one peer's endpoint. Datagrams WireGuard sends there go into the TURN channel bound to the
 * peer's relayed address; ChannelData arriving on that channel goes back out to WireGuard's listen
 * port from the same loopback port, so WireGuard sees one stable endpoint for the peer and needs
 * no change at all.
 *
 * <p>One forwarder per relayed peer (WireGuard tells peers apart by endpoint); many forwarders may
 * share one {@link TurnClient}. Only datagrams from WireGuard's own port on loopback are forwarded.
 * Thread-safe; one daemon thread ("partynet-relay-N") per forwarder.
 */
public final class RelayForwarder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RelayForwarder.class);
  private static final int MAX_DATAGRAM = 65_535;

  private final TurnClient turn;
  private final InetSocketAddress peerRelayed;
  private final InetSocketAddress wireGuard;
  private final DatagramChannel loopback;
  private final Thread thread;
  private final AtomicLong toRelay = new AtomicLong();
  private final AtomicLong fromRelay = new AtomicLong();
  private volatile int channelNumber;
  private volatile boolean closed;

  private RelayForwarder(TurnClient turn, InetSocketAddress peerRelayed, InetSocketAddress wireGuard,
      DatagramChannel loopback) {
    this.turn = turn;
    this.peerRelayed = peerRelayed;
    this.wireGuard = wireGuard;
    this.loopback = loopback;
    this.thread = new Thread(this::pumpToRelay, "partynet-relay-" + peerRelayed);
    this.thread.setDaemon(true);
  }

  /**
   * Opens the loopback port, binds a TURN channel to {@code peerRelayed} (the peer's relayed
   * address, or any address the TURN server can reach for it) and starts forwarding. The future
   * fails with {@link TurnException} or an IOException when the channel cannot be bound.
   *
   * @param turn a client whose allocation is already granted
   * @param peerRelayed where the peer's traffic comes from and goes to, as the TURN server sees it
   * @param wireGuardPort the local WireGuard interface's UDP listen port
   */
  public static CompletableFuture<RelayForwarder> start(TurnClient turn, InetSocketAddress peerRelayed, int wireGuardPort) {
    Objects.requireNonNull(turn, "turn");
    Objects.requireNonNull(peerRelayed, "peerRelayed");
    if (wireGuardPort < 1 || wireGuardPort > 65535) {
      throw new IllegalArgumentException("WireGuard port must be 1..65535: " + wireGuardPort);
    }
    InetSocketAddress wireGuard = new InetSocketAddress(InetAddress.getLoopbackAddress(), wireGuardPort);
    RelayForwarder forwarder;
    try {
      DatagramChannel loopback = DatagramChannel.open();
      loopback.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      forwarder = new RelayForwarder(turn, peerRelayed, wireGuard, loopback);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    return turn.bindChannel(peerRelayed, forwarder::toWireGuard).handle((number, e) -> {
      if (e != null) {
        forwarder.close();
        throw e instanceof CompletionException ce ? ce : new CompletionException(e);
      }
      forwarder.channelNumber = number;
      forwarder.thread.start();
      LOG.info("relay for {}: WireGuard endpoint {} <-> TURN channel 0x{}", peerRelayed,
          forwarder.localEndpoint(), Integer.toHexString(number));
      return forwarder;
    });
  }

  private void toWireGuard(InetSocketAddress peer, ByteBuffer data) {
    try {
      loopback.send(data, wireGuard);
      fromRelay.incrementAndGet();
    } catch (IOException e) {
      LOG.debug("relay to WireGuard {}: {}", wireGuard, e.toString());
    }
  }

  /** The endpoint to configure in WireGuard for this peer: 127.0.0.1 and the forwarder's port. */
  public Endpoint localEndpoint() {
    try {
      return Endpoint.of((InetSocketAddress) loopback.getLocalAddress());
    } catch (IOException e) {
      throw new IllegalStateException("forwarder socket closed", e);
    }
  }

  public InetSocketAddress peerRelayed() {
    return peerRelayed;
  }

  public int channelNumber() {
    return channelNumber;
  }

  /** Datagrams forwarded from WireGuard into the relay so far. */
  public long packetsToRelay() {
    return toRelay.get();
  }

  /** Datagrams forwarded from the relay to WireGuard so far. */
  public long packetsFromRelay() {
    return fromRelay.get();
  }

  private void pumpToRelay() {
    ByteBuffer buffer = ByteBuffer.allocateDirect(MAX_DATAGRAM);
    while (!closed) {
      try {
        buffer.clear();
        SocketAddress from = loopback.receive(buffer);
        if (!wireGuard.equals(from)) {
          LOG.debug("relay ignored a datagram from {}: not WireGuard's port", from);
          continue;
        }
        buffer.flip();
        turn.send(channelNumber, buffer);
        toRelay.incrementAndGet();
      } catch (AsynchronousCloseException e) {
        return;
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("relay to {}: {}", peerRelayed, e.toString());
        }
      }
    }
  }

  /** Stops forwarding and closes the loopback port; the TURN client stays open. */
  @Override
  public void close() {
    closed = true;
    closeQuietly(loopback);
    try {
      if (thread.isAlive()) {
        thread.join(2000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(DatagramChannel c) {
    try {
      c.close();
    } catch (IOException e) {
      LOG.debug("closing relay socket: {}", e.toString());
    }
  }
}
