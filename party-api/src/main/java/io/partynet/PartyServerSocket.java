package io.partynet;

import java.io.IOException;
import java.time.Duration;

/**
 * A TCP port listening on this member's virtual IP for connections from peers. Thread-safe.
 */
public interface PartyServerSocket extends AutoCloseable {

  /**
   * The TCP port this socket listens on.
   *
   * @return the listening port on this member's virtual IP
   */
  int localPort();

  /**
   * Waits up to {@code timeout} for the next peer connection.
   *
   * @param timeout how long to wait at most
   * @return the connection, or null when none arrived in time
   * @throws IOException when the server socket is closed
   * @throws InterruptedException when the calling thread is interrupted while waiting
   */
  PartyStreamSocket accept(Duration timeout) throws IOException, InterruptedException;

  /** Stops listening; connections not accepted yet are reset. */
  @Override
  void close();
}
