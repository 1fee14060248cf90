package io.partynet.core.internal.nat.turn;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;

/** A UDP echo for lab tests: prints {@code BOUND <port>}, then answers each datagram with "echo:" + it. */
public final class UdpEchoMain {
  private UdpEchoMain() {}

  public static void main(String[] args) throws Exception {
    try (DatagramChannel channel = DatagramChannel.open()) {
      channel.bind(new InetSocketAddress(Integer.parseInt(args[0])));
      System.out.println("BOUND " + ((InetSocketAddress) channel.getLocalAddress()).getPort());
      ByteBuffer buffer = ByteBuffer.allocate(2048);
      while (true) {
        buffer.clear();
        SocketAddress from = channel.receive(buffer);
        buffer.flip();
        String text = StandardCharsets.UTF_8.decode(buffer).toString();
        System.out.println("GOT " + text + " FROM " + from);
        channel.send(ByteBuffer.wrap(("echo:" + text).getBytes(StandardCharsets.UTF_8)), from);
      }
    }
  }
}
