package io.partynet;

import java.net.InetSocketAddress;

/**
 * A port of this member's virtual IP whose connections (TCP) or datagrams (UDP) from peers reach
 * a local server: how a player hosts a game. Close it to stop; open connections are reset.
 * Thread-safe.
 */
public interface PortExposure extends AutoCloseable {

  /**
   * The transport this exposure carries.
   *
   * @return TCP or UDP
   */
  TransportProtocol protocol();

  /**
   * The port peers connect to on this member's virtual IP.
   *
   * @return the exposed virtual port
   */
  int virtualPort();

  /**
   * The local server the traffic goes to ({@code 127.0.0.1:virtualPort} unless another was given).
   *
   * @return the address of the local server
   */
  InetSocketAddress target();

  /**
   * TCP connections or UDP sessions (one per peer address) being carried now.
   *
   * @return the number of connections or sessions open at this moment
   */
  int activeConnections();

  /**
   * True when the backend needs no relaying because the operating system already delivers the
   * virtual IP to the local server (a kernel backend and a server listening on all addresses):
   * the exposure is then a no-op that only records the intent.
   *
   * @return whether this exposure relays nothing itself
   */
  boolean passthrough();

  /** Stops the exposure; open connections are reset. */
  @Override
  void close();
}
