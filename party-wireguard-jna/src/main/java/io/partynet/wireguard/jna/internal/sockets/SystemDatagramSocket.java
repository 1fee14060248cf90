package io.partynet.wireguard.jna.internal.sockets;

import io.partynet.PartyDatagram;
import io.partynet.PartyDatagramSocket;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;

/** A UDP port on the virtual IP, as an operating-system socket. Thread-safe: one sender and one receiver at a time. */
final class SystemDatagramSocket implements PartyDatagramSocket {
  private static final int MAX_DATAGRAM = 65535;

  private final DatagramSocket socket;
  private final DatagramPacket received = new DatagramPacket(new byte[MAX_DATAGRAM], MAX_DATAGRAM);

  SystemDatagramSocket(DatagramSocket socket) {
    this.socket = socket;
  }

  @Override
  public int localPort() {
    return socket.getLocalPort();
  }

  @Override
  public void send(String virtualIp, int port, ByteBuffer payload) throws IOException {
    byte[] bytes = new byte[payload.remaining()];
    payload.get(bytes);
    socket.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress(InetAddress.getByName(
        SystemPartyNetwork.requireIpv4Literal(virtualIp)), port)));
  }

  @Override
  public PartyDatagram receive(Duration timeout) throws IOException, InterruptedException {
    synchronized (received) {
      socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
      try {
        received.setLength(MAX_DATAGRAM);
        socket.receive(received);
      } catch (SocketTimeoutException none) {
        return null;
      }
      return new PartyDatagram(received.getAddress().getHostAddress(), received.getPort(),
          Arrays.copyOf(received.getData(), received.getLength()));
    }
  }

  @Override
  public void close() {
    socket.close();
  }
}
