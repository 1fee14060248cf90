package io.partynet.examples.cli.lab;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.nio.charset.StandardCharsets;

/**
 * A plain LAN program for the discovery lab (no PartyNet code): {@code listen PORT} prints
 * {@code FROM ip:port payload} for every datagram that reaches a socket bound to 0.0.0.0:PORT (as a
 * game's LAN browser binds it); {@code minecraft GROUP PORT} does the same for a socket that listens
 * exactly as Minecraft Java's LAN browser does ({@code new MulticastSocket(PORT)}, then
 * {@code joinGroup(GROUP)} on the default interface; the JDK turns {@code IP_MULTICAST_ALL} off);
 * {@code send ADDRESS PORT PREFIX COUNT INTERVAL_MS} broadcasts
 * {@code PREFIX-0} .. {@code PREFIX-(COUNT-1)} and prints {@code SENT COUNT}.
 */
public final class LanTrafficMain {
  private LanTrafficMain() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    switch (args[0]) {
      case "listen" -> listen(Integer.parseInt(args[1]));
      case "minecraft" -> listenLikeMinecraft(InetAddress.getByName(args[1]), Integer.parseInt(args[2]));
      case "send" -> send(args[1], Integer.parseInt(args[2]), args[3], Integer.parseInt(args[4]),
          Integer.parseInt(args[5]));
      default -> throw new IllegalArgumentException(
          "listen PORT | minecraft GROUP PORT | send ADDRESS PORT PREFIX COUNT INTERVAL_MS");
    }
  }

  private static void listen(int port) throws IOException {
    try (MulticastSocket socket = new MulticastSocket(null)) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(port));
      printEverything(socket);
    }
  }

  @SuppressWarnings("deprecation") // joinGroup(InetAddress) is the call Minecraft makes
  private static void listenLikeMinecraft(InetAddress group, int port) throws IOException {
    try (MulticastSocket socket = new MulticastSocket(port)) {
      socket.joinGroup(group);
      printEverything(socket);
    }
  }

  private static void printEverything(DatagramSocket socket) throws IOException {
    System.out.println("READY");
    System.out.flush();
    byte[] buffer = new byte[2048];
    while (true) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      socket.receive(packet);
      System.out.println("FROM " + packet.getAddress().getHostAddress() + ":" + packet.getPort() + " "
          + new String(buffer, 0, packet.getLength(), StandardCharsets.UTF_8).strip());
      System.out.flush();
    }
  }

  private static void send(String address, int port, String prefix, int count, int intervalMs)
      throws IOException, InterruptedException {
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setBroadcast(true);
      InetAddress to = InetAddress.getByName(address);
      for (int i = 0; i < count; i++) {
        byte[] payload = (prefix + "-" + i).getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(payload, payload.length, to, port));
        if (intervalMs > 0) {
          Thread.sleep(intervalMs);
        }
      }
      System.out.println("SENT " + count);
      System.out.flush();
    }
  }
}
