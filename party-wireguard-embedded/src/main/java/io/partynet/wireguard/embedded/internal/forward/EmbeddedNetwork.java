package io.partynet.wireguard.embedded.internal.forward;

import io.partynet.PartyDatagramSocket;
import io.partynet.PortForward;
import io.partynet.spi.UserspaceNetwork;
import io.partynet.wireguard.embedded.internal.device.Device;
import io.partynet.wireguard.embedded.internal.stack.NetworkStack;
import io.partynet.wireguard.embedded.internal.ip.Ipv4Udp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The UDP layer of the local virtual IP: the {@link NetworkStack} hands it UDP packets, which it
 * demultiplexes by destination port to {@link VirtualSocket}s; it builds the packets they send.
 * Malformed packets and closed ports are counted (the stack answers a closed port with ICMP).
 *
 * <p>Thread-safe. {@link #deliverUdp} runs on the device's delivery thread.
 */
public final class EmbeddedNetwork implements UserspaceNetwork, NetworkStack.UdpLayer {
  private static final int FIRST_EPHEMERAL_PORT = 49152;

  private final Device device;
  private final int localIp;
  private final int mtu;
  /** Indexed by port: looking a port up must not box it on the receive thread. */
  private final AtomicReferenceArray<VirtualSocket> sockets = new AtomicReferenceArray<>(65536);
  private final AtomicInteger nextEphemeral = new AtomicInteger(FIRST_EPHEMERAL_PORT);
  private final AtomicInteger identification = new AtomicInteger();
  private final AtomicLong droppedPackets = new AtomicLong();
  private final Ipv4Udp.Parsed parsed = new Ipv4Udp.Parsed();
  private final ThreadLocal<byte[]> packetBuffers;

  public EmbeddedNetwork(Device device, int localIp, int mtu) {
    this.device = device;
    this.localIp = localIp;
    this.mtu = mtu;
    this.packetBuffers = ThreadLocal.withInitial(() -> new byte[mtu]);
  }

  /** Largest UDP payload one datagram can carry through the tunnel. */
  public int maxPayload() {
    return mtu - Ipv4Udp.HEADERS_LENGTH;
  }

  /** Packets from the tunnel that no socket took (wrong address, closed port, malformed). */
  public long undeliverablePackets() {
    return droppedPackets.get();
  }

  @Override
  public PartyDatagramSocket openDatagramSocket(int port) throws IOException {
    return bind(port, null);
  }

  @Override
  public PortForward forwardUdp(int loopbackPort, String virtualIp, int port) throws IOException {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("remote port must be 1..65535: " + port);
    }
    return new UdpForward(this, loopbackPort, Ipv4Udp.parseAddress(virtualIp), port);
  }

  VirtualSocket bind(int port, VirtualSocket.Receiver receiver) throws IOException {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535: " + port);
    }
    if (!device.isOpen()) {
      throw new SocketException("the embedded WireGuard interface is down; call up() first");
    }
    if (port != 0) {
      VirtualSocket socket = new VirtualSocket(this, port, receiver);
      if (!sockets.compareAndSet(port, null, socket)) {
        throw new java.net.BindException("virtual UDP port " + port + " is already bound; pick another or 0");
      }
      return socket;
    }
    for (int attempt = 0; attempt < 16384; attempt++) {
      int candidate = FIRST_EPHEMERAL_PORT + Math.floorMod(nextEphemeral.getAndIncrement() - FIRST_EPHEMERAL_PORT,
          65536 - FIRST_EPHEMERAL_PORT);
      VirtualSocket socket = new VirtualSocket(this, candidate, receiver);
      if (sockets.compareAndSet(candidate, null, socket)) {
        return socket;
      }
    }
    throw new java.net.BindException("no free ephemeral virtual UDP port; close some sockets");
  }

  void unbind(VirtualSocket socket) {
    sockets.compareAndSet(socket.localPort(), socket, null);
  }

  /** Builds the IPv4/UDP packet and hands it to the device (or delivers locally when it is for us). */
  void send(int sourcePort, int destinationIp, int destinationPort, byte[] payload, int offset, int length)
      throws IOException {
    if (length > maxPayload()) {
      throw new IOException("UDP payload of " + length + " bytes exceeds the tunnel's " + maxPayload()
          + " (MTU " + mtu + " minus 28 header bytes); send smaller datagrams");
    }
    if (destinationPort < 1 || destinationPort > 65535) {
      throw new IllegalArgumentException("destination port must be 1..65535: " + destinationPort);
    }
    byte[] packet = packetBuffers.get();
    int packetLength = Ipv4Udp.build(packet, localIp, destinationIp, sourcePort, destinationPort,
        identification.incrementAndGet() & 0xffff, payload, offset, length);
    if (destinationIp == localIp) {
      deliverUdp(packet, 0, packetLength);
      return;
    }
    if (!device.send(packet, 0, packetLength)) {
      throw new java.net.NoRouteToHostException("no peer's allowed IPs contain " + Ipv4Udp.formatAddress(destinationIp)
          + "; add the peer (or its allowed IPs) first");
    }
  }

  @Override
  public boolean deliverUdp(byte[] packet, int offset, int length) {
    synchronized (parsed) {
      if (!Ipv4Udp.tryParse(packet, offset, length, parsed) || parsed.destinationIp != localIp) {
        droppedPackets.incrementAndGet();
        return true;
      }
      VirtualSocket socket = sockets.get(parsed.destinationPort);
      if (socket == null) {
        droppedPackets.incrementAndGet();
        return false;
      }
      socket.receive(parsed.sourceIp, parsed.sourcePort, packet, parsed.payloadOffset, parsed.payloadLength);
      return true;
    }
  }

  int localIp() {
    return localIp;
  }

  static InetSocketAddress loopback(int port) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }
}
