package io.partynet.wireguard.embedded.bench;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;

/**
 * Kernel-socket traffic for the wireguard-go side of {@link EmbeddedBenchmark}, run inside a
 * namespace: {@code send IP PORT PAYLOAD SECONDS} floods datagrams; {@code recv IP PORT SECONDS}
 * counts what arrives and prints the count.
 */
public final class UdpBlast {
  private UdpBlast() {}

  public static void main(String[] args) throws Exception {
    if (args[0].equals("send")) {
      InetSocketAddress target = new InetSocketAddress(InetAddress.getByName(args[1]), Integer.parseInt(args[2]));
      byte[] payload = new byte[Integer.parseInt(args[3])];
      long end = System.nanoTime() + (long) (Double.parseDouble(args[4]) * 1e9);
      try (DatagramSocket socket = new DatagramSocket()) {
        DatagramPacket packet = new DatagramPacket(payload, payload.length, target);
        while (System.nanoTime() < end) {
          socket.send(packet);
        }
      }
    } else {
      InetSocketAddress bind = new InetSocketAddress(InetAddress.getByName(args[1]), Integer.parseInt(args[2]));
      long end = System.nanoTime() + (long) (Double.parseDouble(args[3]) * 1e9);
      long count = 0;
      try (DatagramSocket socket = new DatagramSocket(bind)) {
        socket.setReceiveBufferSize(4 << 20);
        socket.setSoTimeout(200);
        System.out.println("ready");
        System.out.flush();
        byte[] buffer = new byte[2048];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        while (System.nanoTime() < end) {
          try {
            socket.receive(packet);
            count++;
          } catch (SocketTimeoutException e) {
            // keep waiting until the end
          }
        }
      }
      System.out.println(count);
    }
  }
}
