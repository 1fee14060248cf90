package io.partynet;

/**
 * A loopback port that stands for a peer's virtual IP and port, for TCP or UDP: how a player
 * joins an unmodified game by pointing it at {@code 127.0.0.1:port}. Many local clients may use
 * one forward at once; each gets its own connection (TCP) or source port (UDP) on the party
 * network. Thread-safe.
 */
public interface TransportForward extends PortForward {

  /**
   * The transport this forward carries.
   *
   * @return TCP or UDP
   */
  TransportProtocol protocol();

  /**
   * TCP connections or UDP client sessions being carried now.
   *
   * @return the number of connections or sessions open at this moment
   */
  int activeConnections();
}
