package io.partynet.spi;

import io.partynet.PartyDatagramSocket;
import io.partynet.PartyServerSocket;
import io.partynet.PartyStreamSocket;
import io.partynet.PortExposure;
import io.partynet.TransportForward;
import io.partynet.TransportProtocol;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * How applications use the party network, the same on every backend so a launcher writes one
 * code path: expose a local server on the virtual IP (hosting), forward a loopback port to a
 * peer (joining), and TCP/UDP sockets on the virtual IP. The embedded backend implements it with
 * its userspace TCP/IP stack; a kernel backend implements it with operating-system sockets bound
 * to the virtual IP. Thread-safe; every call throws {@link java.net.SocketException} while the
 * interface is down.
 */
public interface PartyNetwork {

  /**
   * This member's virtual IPv4 address.
   *
   * @return the address in dotted form
   */
  String localIp();

  /**
   * Makes {@code virtualPort} of this member's virtual IP reach {@code target} (null for
   * {@code 127.0.0.1:virtualPort}).
   *
   * @param protocol whether TCP connections or UDP datagrams are carried
   * @param virtualPort the port peers reach on this member's virtual IP
   * @param target the local server to carry the traffic to, or null for
   *     {@code 127.0.0.1:virtualPort}
   * @return the exposure; close it to stop
   * @throws java.net.BindException when the virtual port is exposed or bound already
   * @throws IOException when the exposure cannot be set up, or the interface is down
   */
  PortExposure expose(TransportProtocol protocol, int virtualPort, InetSocketAddress target) throws IOException;

  /**
   * Listens on loopback {@code loopbackPort} (0 for any free port) and carries what local
   * programs send there to {@code virtualIp:port}, and the answers back.
   *
   * @param protocol whether TCP connections or UDP datagrams are carried
   * @param loopbackPort the loopback port local programs use, or 0 for any free port
   * @param virtualIp the peer's virtual IP
   * @param port the port on the peer's virtual IP
   * @return the forward; close it to stop
   * @throws IOException when the loopback port cannot be bound, or the interface is down
   */
  TransportForward forward(TransportProtocol protocol, int loopbackPort, String virtualIp, int port)
      throws IOException;

  /**
   * Opens a TCP connection from this member's virtual IP to {@code virtualIp:port}.
   *
   * @param virtualIp the peer's virtual IP
   * @param port the TCP port on the peer's virtual IP
   * @param timeout how long to wait at most for the connection to be established
   * @return the established connection
   * @throws IOException when the peer refuses, the timeout runs out, or the interface is down
   * @throws InterruptedException when the calling thread is interrupted while connecting
   */
  PartyStreamSocket connect(String virtualIp, int port, Duration timeout) throws IOException, InterruptedException;

  /**
   * Listens for TCP connections on {@code port} of this member's virtual IP.
   *
   * @param port the TCP port to listen on
   * @return the listening socket; close it to stop
   * @throws IOException when the port is in use, or the interface is down
   */
  PartyServerSocket listen(int port) throws IOException;

  /**
   * Binds UDP {@code port} (0 for any) on this member's virtual IP.
   *
   * @param port the UDP port to bind, or 0 for any free port
   * @return the bound socket; close it to release the port
   * @throws IOException when the port is in use, or the interface is down
   */
  PartyDatagramSocket openDatagramSocket(int port) throws IOException;
}
