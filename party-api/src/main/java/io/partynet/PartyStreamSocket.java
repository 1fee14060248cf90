package io.partynet;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/**
 * A TCP connection on the party network, between this member's virtual IP and a peer's. On a
 * kernel backend it is an operating-system socket bound to the virtual IP; on the embedded
 * backend it runs on the SDK's userspace TCP stack. Blocking streams, each call bounded by the
 * socket's timeouts.
 *
 * <p>Thread-safe: one thread may read while another writes.
 */
public interface PartyStreamSocket extends AutoCloseable {

  /**
   * The peer's virtual IP.
   *
   * @return the remote virtual IPv4 address in dotted form
   */
  String remoteIp();

  /**
   * The peer's TCP port.
   *
   * @return the port on the peer's virtual IP this connection goes to
   */
  int remotePort();

  /**
   * The TCP port on the local virtual IP.
   *
   * @return the local port of this connection
   */
  int localPort();

  /**
   * Reads block at most this long, then throw {@link java.net.SocketTimeoutException}; the
   * socket stays usable. Default 30 seconds.
   *
   * @param timeout the longest a read may block
   */
  void setReadTimeout(Duration timeout);

  /**
   * Writes wait at most this long for the peer to take data. Default 30 seconds.
   *
   * @param timeout the longest a write may wait
   */
  void setWriteTimeout(Duration timeout);

  /**
   * Bytes from the peer; {@code read} returns -1 after the peer shut its output down.
   *
   * @return the stream of bytes the peer sends
   */
  InputStream inputStream();

  /**
   * Bytes to the peer; {@code close()} of the stream shuts the output down (half-close).
   *
   * @return the stream of bytes sent to the peer
   */
  OutputStream outputStream();

  /**
   * Half-close: the peer reads end-of-stream after the data written so far; reading continues.
   *
   * @throws IOException when the connection is closed or reset, or the data cannot be sent
   */
  void shutdownOutput() throws IOException;

  /** Resets the connection (TCP RST): the peer sees "connection reset", unsent data is dropped. */
  void abort();

  /** Closes both directions (a FIN after the data written so far, or a RST if received data was left unread). */
  @Override
  void close();
}
