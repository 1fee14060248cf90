package io.partynet.wireguard.embedded.internal.forward;

import io.partynet.PartyDatagram;
import io.partynet.PartyDatagramSocket;
import io.partynet.wireguard.embedded.internal.ip.Ipv4Udp;
import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A UDP port on the local virtual IP. Datagrams from the tunnel either queue for
 * {@link #receive} (up to {@value #QUEUE_CAPACITY}; more are dropped, as a full socket buffer
 * would) or go straight to a {@link Receiver} (port forwards).
 *
 * <p>Thread-safe: one thread may send while another receives.
 */
final class VirtualSocket implements PartyDatagramSocket {
  static final int QUEUE_CAPACITY = 1024;

  /** Takes datagrams on the device's delivery thread; must copy what it keeps and not block. */
  interface Receiver {
    void receive(int sourceIp, int sourcePort, byte[] payload, int offset, int length);
  }

  private final EmbeddedNetwork network;
  private final int port;
  private final Receiver receiver;
  private final BlockingQueue<PartyDatagram> queue;
  private volatile boolean closed;
  private volatile ParsedAddress lastDestination = new ParsedAddress("", 0);

  /** The last destination string and its value: games send to one peer over and over. */
  private record ParsedAddress(String text, int address) {}

  VirtualSocket(EmbeddedNetwork network, int port, Receiver receiver) {
    this.network = network;
    this.port = port;
    this.receiver = receiver;
    this.queue = receiver == null ? new ArrayBlockingQueue<>(QUEUE_CAPACITY) : null;
  }

  @Override
  public int localPort() {
    return port;
  }

  @Override
  public void send(String virtualIp, int destinationPort, ByteBuffer payload) throws IOException {
    ensureOpen();
    ParsedAddress cached = lastDestination;
    int destination;
    if (cached.text.equals(virtualIp)) {
      destination = cached.address;
    } else {
      destination = Ipv4Udp.parseAddress(virtualIp);
      lastDestination = new ParsedAddress(virtualIp, destination);
    }
    if (payload.hasArray()) {
      network.send(port, destination, destinationPort, payload.array(), payload.arrayOffset() + payload.position(),
          payload.remaining());
      payload.position(payload.limit());
    } else {
      byte[] copy = new byte[payload.remaining()];
      payload.get(copy);
      network.send(port, destination, destinationPort, copy, 0, copy.length);
    }
  }

  void send(int destinationIp, int destinationPort, byte[] payload, int offset, int length) throws IOException {
    ensureOpen();
    network.send(port, destinationIp, destinationPort, payload, offset, length);
  }

  @Override
  public PartyDatagram receive(Duration timeout) throws IOException, InterruptedException {
    ensureOpen();
    if (queue == null) {
      throw new IllegalStateException("this socket belongs to a port forward");
    }
    return queue.poll(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
  }

  void receive(int sourceIp, int sourcePort, byte[] payload, int offset, int length) {
    if (closed) {
      return;
    }
    if (receiver != null) {
      receiver.receive(sourceIp, sourcePort, payload, offset, length);
      return;
    }
    byte[] copy = new byte[length];
    System.arraycopy(payload, offset, copy, 0, length);
    queue.offer(new PartyDatagram(Ipv4Udp.formatAddress(sourceIp), sourcePort, copy));
  }

  private void ensureOpen() throws SocketException {
    if (closed) {
      throw new SocketException("party datagram socket on port " + port + " is closed");
    }
  }

  @Override
  public void close() {
    closed = true;
    network.unbind(this);
  }
}
