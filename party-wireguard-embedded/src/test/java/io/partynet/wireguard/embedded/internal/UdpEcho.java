package io.partynet.wireguard.embedded.internal;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A real kernel UDP socket on the wireguard-go side of the interop tests, run with
 * {@code ip netns exec}: binds {@code ip:port}, prints "ready", optionally sends "hello" to a
 * target, then answers every datagram with "echo:" + payload. Exits after 120 s at the latest.
 */
public final class UdpEcho {
  private UdpEcho() {}

  public static void main(String[] args) throws Exception {
    InetAddress bind = InetAddress.getByName(args[0]);
    int port = Integer.parseInt(args[1]);
    long deadline = System.currentTimeMillis() + 120_000;
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(bind, port))) {
      socket.setSoTimeout(1000);
      System.out.println("ready");
      System.out.flush();
      if (args.length > 2) {
        String[] target = args[2].split(":");
        byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(hello, hello.length,
            new InetSocketAddress(InetAddress.getByName(target[0]), Integer.parseInt(target[1]))));
      }
      byte[] buffer = new byte[2048];
      while (System.currentTimeMillis() < deadline) {
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
          socket.receive(packet);
        } catch (java.net.SocketTimeoutException e) {
          continue;
        }
        byte[] reply = ("echo:" + new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8))
            .getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
      }
    }
  }
}
