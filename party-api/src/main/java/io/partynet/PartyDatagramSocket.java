package io.partynet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * A UDP socket on the party network, bound to one UDP port of the local member's virtual IP: on
 * the embedded backend it runs on the SDK's userspace stack (no TUN device, so the operating
 * system's sockets cannot reach virtual IPs); on a kernel backend it is an operating-system socket
 * bound to the virtual IP.
 *
 * <p>Thread-safe: one thread may send while another receives.
 */
public interface PartyDatagramSocket extends AutoCloseable {

  /**
   * The UDP port this socket is bound to on the local virtual IP.
   *
   * @return 1..65535
   */
  int localPort();

  /**
   * Sends one datagram through the tunnel.
   *
   * @param virtualIp the receiving member's virtual IP
   * @param port the receiving UDP port
   * @param payload the bytes from its position to its limit
   * @throws IOException when the socket is closed or the datagram cannot be sent
   */
  void send(String virtualIp, int port, ByteBuffer payload) throws IOException;

  /**
   * Waits up to {@code timeout} for the next datagram.
   *
   * @param timeout the longest wait
   * @return the datagram, or null when none arrived in time
   * @throws IOException when the socket is closed
   * @throws InterruptedException when the waiting thread is interrupted
   */
  PartyDatagram receive(Duration timeout) throws IOException, InterruptedException;

  /** Releases the port; a thread blocked in {@link #receive} returns. */
  @Override
  void close();
}
