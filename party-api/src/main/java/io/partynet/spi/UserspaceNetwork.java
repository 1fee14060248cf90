package io.partynet.spi;

import io.partynet.PartyDatagramSocket;
import io.partynet.PortForward;
import java.io.IOException;

/**
 * The application-facing side of a backend that runs WireGuard in user space: it builds and parses
 * the IPv4/UDP packets inside the tunnel itself. Kernel and TUN backends do not offer it (there
 * the operating system's own sockets reach virtual IPs). Thread-safe.
 */
public interface UserspaceNetwork {

  /**
   * Binds a UDP port on the local virtual IP.
   *
   * @param port the port, 0 for any free one
   * @return the socket
   * @throws IOException when the port is taken or the network is down
   */
  PartyDatagramSocket openDatagramSocket(int port) throws IOException;

  /**
   * Forwards a loopback UDP port to a member's virtual IP and port, and the replies back.
   *
   * @param loopbackPort the port on 127.0.0.1, 0 for any free one
   * @param virtualIp the member's virtual IP
   * @param port the member's UDP port
   * @return the forward; close it to stop
   * @throws IOException when the loopback port is taken or the network is down
   */
  PortForward forwardUdp(int loopbackPort, String virtualIp, int port) throws IOException;
}
