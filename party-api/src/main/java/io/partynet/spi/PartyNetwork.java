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

  /** This member's virtual IPv4 address. */
  String localIp();

  /**
   * Makes {@code virtualPort} of this member's virtual IP reach {@code target} (null for
   * {@code 127.0.0.1:virtualPort}).
   *
   * @throws java.net.BindException when the virtual port is exposed or bound already
   */
  PortExposure expose(TransportProtocol protocol, int virtualPort, InetSocketAddress target) throws IOException;

  /**
   * Listens on loopback {@code loopbackPort} (0 for any free port) and carries what local
   * programs send there to {@code virtualIp:port}, and the answers back.
   */
  TransportForward forward(TransportProtocol protocol, int loopbackPort, String virtualIp, int port)
      throws IOException;

  /** Opens a TCP connection from this member's virtual IP to {@code virtualIp:port}. */
  PartyStreamSocket connect(String virtualIp, int port, Duration timeout) throws IOException, InterruptedException;

  /** Listens for TCP connections on {@code port} of this member's virtual IP. */
  PartyServerSocket listen(int port) throws IOException;

  /** Binds UDP {@code port} (0 for any) on this member's virtual IP. */
  PartyDatagramSocket openDatagramSocket(int port) throws IOException;
}
