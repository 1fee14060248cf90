package io.partynet;

import java.net.InetSocketAddress;

/**
 * A loopback UDP port that stands for a peer's virtual IP and port, so an unmodified game can
 * talk to the peer by sending to {@code 127.0.0.1:port}; replies come back to the game's socket.
 * UDP only. Close it to stop forwarding. Thread-safe.
 */
public interface PortForward extends AutoCloseable {

  /**
   * The loopback address the game sends to.
   *
   * @return {@code 127.0.0.1} and the forwarded port
   */
  InetSocketAddress localAddress();

  /**
   * The peer's virtual IP the traffic goes to.
   *
   * @return an IP literal inside the party's subnet
   */
  String virtualIp();

  /**
   * The peer's UDP port the traffic goes to.
   *
   * @return 1..65535
   */
  int remotePort();

  /** Stops forwarding and releases the loopback port. */
  @Override
  void close();
}
