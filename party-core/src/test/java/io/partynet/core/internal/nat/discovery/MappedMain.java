package io.partynet.core.internal.nat.discovery;

import io.partynet.Endpoint;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;

/**
 * Learns the public mapping of local UDP ports with one Binding each, as the SDK does for the
 * WireGuard listen port before the interface binds it. Arguments: server, then ports. Prints
 * {@code MAPPED <port> <endpoint>} per port (or {@code MAPPED <port> -}), then {@code DONE}.
 */
public final class MappedMain {
  private MappedMain() {}

  public static void main(String[] args) throws Exception {
    InetSocketAddress server = Endpoint.parse(args[0]).toSocketAddress();
    for (int i = 1; i < args.length; i++) {
      int port = Integer.parseInt(args[i]);
      try (DatagramChannel channel = DatagramChannel.open()) {
        channel.bind(new InetSocketAddress(port));
        StunClient client = new StunClient(channel, new StunTiming(Duration.ofMillis(100), 5, 4));
        String mapped = client.binding(server, List.of())
            .flatMap(StunResponse::mappedAddress)
            .map(a -> Endpoint.of(a).toString())
            .orElse("-");
        System.out.println("MAPPED " + port + " " + mapped);
      }
    }
    System.out.println("DONE");
  }
}
