package io.partynet.core.internal.nat.discovery;

import io.partynet.core.internal.nat.stun.AttributeType;
import io.partynet.core.internal.nat.stun.MessageClass;
import io.partynet.core.internal.nat.stun.StunAttribute;
import io.partynet.core.internal.nat.stun.StunCodec;
import io.partynet.core.internal.nat.stun.StunEncoder;
import io.partynet.core.internal.nat.stun.StunMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An RFC 5780 server on 127.0.0.1 and 127.0.0.2 (two ports each) that also plays the NAT: it
 * reports a mapped address according to a mapping behaviour and drops answers that a filter of
 * the given behaviour would drop. Lets the discovery logic meet behaviours the lab's routers
 * cannot make (address-dependent ones). Not thread-safe to configure; runs one daemon thread.
 */
final class SimulatedNatStunServer implements AutoCloseable {
  private static final InetAddress PUBLIC = address("198.51.100.77");

  private final MappingBehavior mapping;
  private final FilteringBehavior filtering;
  private final boolean sendOtherAddress;
  private final DatagramChannel[][] sockets = new DatagramChannel[2][2];
  private final Selector selector;
  private final Thread thread;
  /** Server sockets the client has sent to: what a stateful filter would let answer. */
  private final Set<InetSocketAddress> contacted = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  SimulatedNatStunServer(MappingBehavior mapping, FilteringBehavior filtering, boolean sendOtherAddress)
      throws IOException {
    this.mapping = mapping;
    this.filtering = filtering;
    this.sendOtherAddress = sendOtherAddress;
    bindFourSockets();
    selector = Selector.open();
    for (DatagramChannel[] row : sockets) {
      for (DatagramChannel c : row) {
        c.configureBlocking(false);
        c.register(selector, SelectionKey.OP_READ);
      }
    }
    thread = new Thread(this::serve, "simulated-stun");
    thread.setDaemon(true);
    thread.start();
  }

  InetSocketAddress primary() {
    return local(sockets[0][0]);
  }

  private void bindFourSockets() throws IOException {
    InetAddress a1 = address("127.0.0.1");
    InetAddress a2 = address("127.0.0.2");
    for (int attempt = 0; attempt < 20; attempt++) {
      List<DatagramChannel> opened = new ArrayList<>();
      try {
        DatagramChannel p1 = open(new InetSocketAddress(a1, 0), opened);
        DatagramChannel p2 = open(new InetSocketAddress(a1, 0), opened);
        sockets[0][0] = p1;
        sockets[0][1] = p2;
        sockets[1][0] = open(new InetSocketAddress(a2, local(p1).getPort()), opened);
        sockets[1][1] = open(new InetSocketAddress(a2, local(p2).getPort()), opened);
        return;
      } catch (IOException portTakenOnTheOtherAddress) {
        for (DatagramChannel c : opened) {
          c.close();
        }
      }
    }
    throw new IOException("could not bind the same two ports on 127.0.0.1 and 127.0.0.2");
  }

  private static DatagramChannel open(InetSocketAddress at, List<DatagramChannel> opened) throws IOException {
    DatagramChannel c = DatagramChannel.open();
    opened.add(c);
    c.bind(at);
    return c;
  }

  private void serve() {
    ByteBuffer buffer = ByteBuffer.allocate(2048);
    try {
      while (!closed) {
        selector.select(200);
        for (SelectionKey key : selector.selectedKeys()) {
          DatagramChannel receivedOn = (DatagramChannel) key.channel();
          buffer.clear();
          SocketAddress from = receivedOn.receive(buffer);
          if (from == null) {
            continue;
          }
          buffer.flip();
          answer(receivedOn, (InetSocketAddress) from, StunCodec.decode(buffer));
        }
        selector.selectedKeys().clear();
      }
    } catch (IOException e) {
      // closed
    }
  }

  private void answer(DatagramChannel receivedOn, InetSocketAddress client, StunMessage request) throws IOException {
    InetSocketAddress target = local(receivedOn);
    contacted.add(target);
    int ip = target.getAddress().equals(local(sockets[0][0]).getAddress()) ? 0 : 1;
    int port = target.getPort() == local(sockets[0][0]).getPort() ? 0 : 1;
    var change = request.attribute(AttributeType.CHANGE_REQUEST, StunAttribute.ChangeRequest.class);
    if (change.isPresent()) {
      ip ^= change.get().changeIp() ? 1 : 0;
      port ^= change.get().changePort() ? 1 : 0;
    }
    DatagramChannel answerFrom = sockets[ip][port];
    InetSocketAddress source = local(answerFrom);
    if (!passesFilter(source)) {
      return;
    }
    List<StunAttribute> attributes = new ArrayList<>();
    attributes.add(StunAttribute.Address.xorMapped(mapped(client, target)));
    attributes.add(StunAttribute.Address.responseOrigin(source));
    if (sendOtherAddress) {
      attributes.add(StunAttribute.Address.otherAddress(local(sockets[1 - ip][1 - port])));
    }
    StunMessage response = request.response(MessageClass.SUCCESS_RESPONSE, attributes);
    answerFrom.send(StunEncoder.plain().withFingerprint().encode(response), client);
  }

  private InetSocketAddress mapped(InetSocketAddress client, InetSocketAddress server) {
    return switch (mapping) {
      case NO_NAT, UNKNOWN -> client;
      case ENDPOINT_INDEPENDENT -> new InetSocketAddress(PUBLIC, 40000);
      case ADDRESS_DEPENDENT -> new InetSocketAddress(PUBLIC, 40000 + server.getAddress().getAddress()[3]);
      case ADDRESS_AND_PORT_DEPENDENT -> new InetSocketAddress(PUBLIC, 40000 + server.getPort() % 1000
          + 1000 * server.getAddress().getAddress()[3]);
    };
  }

  private boolean passesFilter(InetSocketAddress source) {
    return switch (filtering) {
      case ENDPOINT_INDEPENDENT, UNKNOWN -> true;
      case ADDRESS_DEPENDENT -> contacted.stream().anyMatch(c -> c.getAddress().equals(source.getAddress()));
      case ADDRESS_AND_PORT_DEPENDENT -> contacted.contains(source);
    };
  }

  private static InetSocketAddress local(DatagramChannel c) {
    try {
      return (InetSocketAddress) c.getLocalAddress();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    selector.wakeup();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    selector.close();
    for (DatagramChannel[] row : sockets) {
      for (DatagramChannel c : row) {
        c.close();
      }
    }
  }
}
