package io.partynet.core.internal.discovery;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * How the relay sees local programs' discovery datagrams and hands relayed ones to local programs,
 * on one platform: raw sockets on Linux with a kernel or TUN interface, ordinary loopback sockets
 * with the embedded backend. See docs/lan-discovery.md.
 *
 * <p>Implementations are thread-safe: {@link #deliver} may be called while capture runs.
 */
public interface DiscoveryTap extends AutoCloseable {
  /** A short name for status: {@code linux-raw}, {@code loopback}, ... */
  String mode();

  /**
   * Starts capturing: each broadcast or multicast a local program sends within {@code scope} is
   * handed to {@code sink} (on the tap's own thread; the sink must not block).
   */
  void start(DiscoveryScope scope, Consumer<LanDatagram> sink) throws IOException;

  /**
   * Delivers {@code datagram} to local programs listening on its destination port (and group),
   * as if {@code sourceIp:sourcePort} had sent it on the LAN, so that their answer goes to the
   * sender through the tunnel.
   */
  void deliver(LanDatagram datagram) throws IOException;

  /**
   * How many local discovery datagrams the platform dropped since {@link #start} because the
   * capture buffer was full (the relay did not read fast enough); 0 where the platform does not
   * say. Cheap enough to call for every status read.
   */
  default long captureOverflows() {
    return 0;
  }

  /** Stops capturing and releases every socket; idempotent. */
  @Override
  void close();
}
