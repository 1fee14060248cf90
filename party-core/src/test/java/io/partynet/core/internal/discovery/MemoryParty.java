package io.partynet.core.internal.discovery;

import io.partynet.PartyDatagram;
import io.partynet.PartyDatagramSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * N members' discovery relays wired in memory: a tunnel that carries relay-port datagrams between
 * virtual IPs, and at each member a tap that records deliveries and (like the worst operating
 * system) hands every delivery straight back to its own capture. Single-threaded: {@link #pump}
 * carries queued datagrams until none is left.
 */
final class MemoryParty {
  final AtomicLong nanos = new AtomicLong();
  final Map<String, Member> members = new LinkedHashMap<>();
  private final ArrayDeque<Object[]> tunnel = new ArrayDeque<>();
  private final DiscoverySettings settings;
  private int carried;

  MemoryParty(int size, DiscoverySettings settings) {
    this.settings = settings;
    for (int i = 1; i <= size; i++) {
      Member m = new Member("10.77.0." + i, "192.168." + i + ".2");
      members.put(m.virtualIp, m);
    }
    for (Member m : members.values()) {
      members.keySet().stream().filter(ip -> !ip.equals(m.virtualIp)).forEach(m.others::add);
    }
  }

  Member member(int index) {
    return new ArrayList<>(members.values()).get(index);
  }

  /** Carries every queued datagram (and those they cause); returns how many were carried in total so far. */
  int pump() {
    while (!tunnel.isEmpty()) {
      Object[] d = tunnel.poll();
      Member to = members.get((String) d[2]);
      if (to != null) {
        to.relay.onParty(new PartyDatagram((String) d[0], (Integer) d[1], (byte[]) d[3]));
      }
      if (++carried > 100_000) {
        throw new AssertionError("the relays amplify: more than 100000 datagrams carried");
      }
    }
    return carried;
  }

  /** Queues a datagram as if {@code fromIp:fromPort} had sent it through the tunnel. */
  void inject(String fromIp, int fromPort, String toIp, byte[] bytes) {
    tunnel.add(new Object[] {fromIp, fromPort, toIp, bytes});
  }

  final class Member {
    final String virtualIp;
    final String lanIp;
    final Set<String> others = new HashSet<>();
    final List<LanDatagram> delivered = new ArrayList<>();
    final DiscoveryRelay relay;
    boolean echoDeliveries = true;
    private Consumer<LanDatagram> capture;

    Member(String virtualIp, String lanIp) {
      this.virtualIp = virtualIp;
      this.lanIp = lanIp;
      relay = new DiscoveryRelay(settings, new EchoTap(), new TunnelSocket(), () -> others, nanos::get);
      capture = relay::onLocal;
    }

    /** A local program on this member's host sends {@code payload} to {@code destination:port}. */
    void localSend(int sourcePort, String destination, int port, String payload) {
      capture.accept(new LanDatagram(lanIp, sourcePort, destination, port, payload.getBytes()));
    }

    private final class EchoTap implements DiscoveryTap {
      @Override
      public String mode() {
        return "memory";
      }

      @Override
      public void start(DiscoveryScope scope, Consumer<LanDatagram> sink) {
        capture = sink;
      }

      @Override
      public void deliver(LanDatagram datagram) {
        delivered.add(datagram);
        if (echoDeliveries) {
          capture.accept(datagram);
        }
      }

      @Override
      public void close() {}
    }

    private final class TunnelSocket implements PartyDatagramSocket {
      @Override
      public int localPort() {
        return settings.relayPort();
      }

      @Override
      public void send(String toIp, int port, ByteBuffer payload) {
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        if (port == settings.relayPort()) {
          inject(virtualIp, settings.relayPort(), toIp, bytes);
        }
      }

      @Override
      public PartyDatagram receive(Duration timeout) {
        return null;
      }

      @Override
      public void close() {}
    }
  }
}
