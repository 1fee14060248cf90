package io.partynet;

import java.net.InetSocketAddress;

/**
 * A local SOCKS5 proxy (RFC 1928, CONNECT without authentication) that carries TCP connections
 * onto the party network: a program whose SOCKS5 setting points at {@link #localAddress()}
 * reaches any peer's {@code virtualIp:port} without a forward per port. It listens on
 * {@code 127.0.0.1} only, so no other machine can use it. It works the same on every backend,
 * because it is built on {@link io.partynet.spi.PartyNetwork#connect}. Close it to stop; the
 * connections it carries are reset. Thread-safe.
 */
public interface SocksProxy extends AutoCloseable {

  /**
   * The address local programs use as their SOCKS5 proxy.
   *
   * @return {@code 127.0.0.1} and the proxy's port
   */
  InetSocketAddress localAddress();

  /**
   * Client connections being served now, from the greeting until both directions ended.
   *
   * @return the number of client connections open at this moment
   */
  int activeConnections();

  /** Stops listening, resets every carried connection and releases the loopback port. */
  @Override
  void close();
}
