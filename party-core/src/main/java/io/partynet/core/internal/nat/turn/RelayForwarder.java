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
 * {@link #moveTo} carries the path over to another allocation or another relayed address of the
 * peer while the loopback port, and so WireGuard's endpoint, stays the same (make-before-break:
 * the old channel keeps delivering until its allocation is closed).
 * Thread-safe; one daemon thread ("partynet-relay-N") per forwarder.
 */
public final class RelayForwarder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RelayForwarder.class);
  private static final int MAX_DATAGRAM = 65_535;

  /** Where datagrams from WireGuard go: a TURN channel on one allocation. */
  private record Route(TurnClient turn, InetSocketAddress peerRelayed, int channelNumber) {}

  private final InetSocketAddress wireGuard;
  private final DatagramChannel loopback;
  private final Thread thread;
  private final AtomicLong toRelay = new AtomicLong();
  private final AtomicLong fromRelay = new AtomicLong();
  private volatile Route route;
  private volatile boolean closed;

  private RelayForwarder(InetSocketAddress peerRelayed, InetSocketAddress wireGuard, DatagramChannel loopback) {
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
      forwarder = new RelayForwarder(peerRelayed, wireGuard, loopback);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    return turn.bindChannel(peerRelayed, forwarder::toWireGuard).handle((number, e) -> {
      if (e != null) {
        forwarder.close();
        throw e instanceof CompletionException ce ? ce : new CompletionException(e);
      }
      forwarder.route = new Route(turn, peerRelayed, number);
      forwarder.thread.start();
      LOG.info("relay for {}: WireGuard endpoint {} <-> TURN channel 0x{}", peerRelayed,
          forwarder.localEndpoint(), Integer.toHexString(number));
      return forwarder;
    });
  }

  /**
   * Binds a channel on {@code turn} (a granted allocation) to {@code peerRelayed} and sends
   * WireGuard's datagrams there from then on, through the same loopback port. Whatever still
   * arrives on the previous channel is delivered until that allocation closes; the previous
   * channel is released on its client when it was another channel of the same one. On failure
   * the route stays as it was.
   */
  public CompletableFuture<RelayForwarder> moveTo(TurnClient turn, InetSocketAddress peerRelayed) {
    Objects.requireNonNull(turn, "turn");
    Objects.requireNonNull(peerRelayed, "peerRelayed");
    return turn.bindChannel(peerRelayed, this::toWireGuard).thenApply(number -> {
      Route previous = route;
      route = new Route(turn, peerRelayed, number);
      if (previous.turn() == turn && previous.channelNumber() != number) {
        turn.releaseChannel(previous.channelNumber());
      }
      LOG.info("relay for {} moved: WireGuard endpoint {} <-> TURN channel 0x{} (was {})", peerRelayed,
          localEndpoint(), Integer.toHexString(number), previous.peerRelayed());
      return this;
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

  /** The TURN client the forwarder sends through now. */
  TurnClient turnClient() {
    return route.turn();
  }

  public InetSocketAddress peerRelayed() {
    return route.peerRelayed();
  }

  public int channelNumber() {
    return route.channelNumber();
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
        Route current = route;
        current.turn().send(current.channelNumber(), buffer);
        toRelay.incrementAndGet();
      } catch (AsynchronousCloseException e) {
        return;
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("relay to {}: {}", route.peerRelayed(), e.toString());
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
