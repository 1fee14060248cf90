package io.partynet.core.internal.connection;

import io.partynet.PartyDatagram;
import io.partynet.PartyDatagramSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;

/**
 * A {@link PartyDatagramSocket} over an ordinary operating-system UDP socket bound to the local
 * virtual IP: what kernel and TUN backends use, since there the OS routes virtual IPs itself.
 *
 * <p>Thread-safe: one sender and one receiver may use it at once.
 */
public final class OsDatagramSocket implements PartyDatagramSocket {
  private static final int MAX_DATAGRAM = 1500;
  private final DatagramSocket socket;

  private OsDatagramSocket(DatagramSocket socket) {
    this.socket = socket;
  }

  /** Binds {@code virtualIp:port} (port 0 for any). */
  public static OsDatagramSocket bind(String virtualIp, int port) throws IOException {
    DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
    try {
      channel.bind(new InetSocketAddress(InetAddress.getByName(virtualIp), port));
    } catch (IOException e) {
      channel.close();
      throw new IOException("cannot bind UDP " + virtualIp + ":" + port + " (is the interface up?): " + e.getMessage(), e);
    }
    return new OsDatagramSocket(channel.socket());
  }

  @Override
  public int localPort() {
    return socket.getLocalPort();
  }

  @Override
  public void send(String virtualIp, int port, ByteBuffer payload) throws IOException {
    byte[] bytes = new byte[payload.remaining()];
    payload.get(bytes);
    socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getByName(virtualIp), port));
  }

  @Override
  public PartyDatagram receive(Duration timeout) throws IOException {
    byte[] buffer = new byte[MAX_DATAGRAM];
    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
    socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
    try {
      socket.receive(packet);
    } catch (SocketTimeoutException e) {
      return null;
    }
    byte[] payload = java.util.Arrays.copyOf(buffer, packet.getLength());
    return new PartyDatagram(packet.getAddress().getHostAddress(), packet.getPort(), payload);
  }

  @Override
  public void close() {
    socket.close();
  }
}
