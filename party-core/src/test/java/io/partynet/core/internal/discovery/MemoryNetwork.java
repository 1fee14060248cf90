package io.partynet.core.internal.discovery;

import io.partynet.PartyDatagramSocket;
import io.partynet.PortForward;
import io.partynet.testing.Eventually;
import io.partynet.spi.UserspaceNetwork;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The tunnel side: sockets on the virtual IP that record what is sent and hand out what the test queues. */
final class MemoryNetwork implements UserspaceNetwork {
  final Map<Integer, MemorySocket> sockets = new ConcurrentHashMap<>();

  @Override
  public PartyDatagramSocket openDatagramSocket(int port) {
    MemorySocket s = new MemorySocket(port);
    sockets.put(port, s);
    return s;
  }

  @Override
  public PortForward forwardUdp(int loopbackPort, String virtualIp, int port) {
    throw new UnsupportedOperationException("not used by the tap");
  }

  MemorySocket await(int port) {
    Eventually.until(Duration.ofSeconds(5), () -> sockets.containsKey(port), "an endpoint on virtual port " + port);
    return sockets.get(port);
  }
}
