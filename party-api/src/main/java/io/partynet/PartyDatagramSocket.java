package io.partynet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * A UDP socket on the party network, for backends that run WireGuard in user space (no TUN
 * device, so the operating system's sockets cannot reach virtual IPs). Bound to one UDP port of
 * the local member's virtual IP.
 *
 * <p>Thread-safe: one thread may send while another receives.
 */
public interface PartyDatagramSocket extends AutoCloseable {

  /** The UDP port this socket is bound to on the local virtual IP. */
  int localPort();

  /** Sends {@code payload} to {@code virtualIp:port} through the tunnel. */
  void send(String virtualIp, int port, ByteBuffer payload) throws IOException;

  /**
   * Waits up to {@code timeout} for the next datagram.
   *
   * @return the datagram, or null when none arrived in time
   */
  PartyDatagram receive(Duration timeout) throws IOException, InterruptedException;

  @Override
  void close();
}
