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

  /** Binds UDP {@code port} (0 for any) on the local virtual IP. */
  PartyDatagramSocket openDatagramSocket(int port) throws IOException;

  /** Forwards a loopback UDP port (0 for any) to {@code virtualIp:port} and back. */
  PortForward forwardUdp(int loopbackPort, String virtualIp, int port) throws IOException;
}
