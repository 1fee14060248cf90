package io.partynet.wireguard.embedded.internal.stack.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.wireguard.embedded.internal.stack.ipv4.Ipv4;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The stack's edges on the simulated link with a manual clock: closed ports, SYN floods, the
 * connection limit, zero windows, keep-alive, TIME_WAIT, resets and half-close.
 */
class TcpStackTest {
  private static final long MILLI = SimulatedNetwork.MILLI;
  private static final TcpConfig CONFIG = TcpConfig.defaults(1420).withBuffers(16 * 1024, 16 * 1024)
      .withKeepAlive(Duration.ofSeconds(10), Duration.ofSeconds(2), 3);

  private static SimulatedNetwork lossless() {
    return new SimulatedNetwork(1, 0, 0, MILLI, 0, CONFIG);
  }

  @Test
  void aClosedPortAnswersWithResetAndTheConnectFails() throws Exception {
    SimulatedNetwork net = lossless();
    TcpConnection c = net.a.connect(SimulatedNetwork.IP_B, 81);
    net.advance(20 * MILLI);
    assertEquals(TcpConnection.State.CLOSED, c.state());
    assertThrows(ConnectException.class, () -> BlockingTcp.awaitEstablished(c, 0));
    assertEquals(1, net.countersB.tcpResetsForUnknown.get());
  }

  @Test
  void aSynFloodCostsAtMostTheBacklog() throws Exception {
    SimulatedNetwork net = new SimulatedNetwork(1, 0, 0, MILLI, 0, CONFIG.withMaxConnections(1024, 8));
    net.b.listen(80);
    byte[] syn = new byte[60];
    for (int port = 1; port <= 500; port++) {
      int length = TcpSegment.write(syn, SimulatedNetwork.IP_A, SimulatedNetwork.IP_B, port, 80, port * 7919, 0,
          TcpSegment.SYN, 1000, 1380, -1, false, 0, 0, 0);
      net.b.input(syn, Ipv4.HEADER_LENGTH, length - Ipv4.HEADER_LENGTH, SimulatedNetwork.IP_A, SimulatedNetwork.IP_B);
    }
    assertEquals(8, net.b.connectionCount(), "only the SYN backlog is held");
    assertEquals(492, net.countersB.tcpSynQueueFull.get());
    net.up = false;
    net.advance(Duration.ofSeconds(120).toNanos());
    assertEquals(0, net.b.connectionCount(), "half-open connections give up after their SYN-ACK retries");
  }

  @Test
  void malformedSegmentsAreCountedAndDropped() {
    SimulatedNetwork net = lossless();
    byte[] packet = new byte[60];
    int length = TcpSegment.write(packet, SimulatedNetwork.IP_A, SimulatedNetwork.IP_B, 1000, 80, 1, 0,
        TcpSegment.SYN, 1000, 1380, 7, true, 1, 0, 0);
    packet[Ipv4.HEADER_LENGTH + 21] ^= 1;
    net.b.input(packet, Ipv4.HEADER_LENGTH, length - Ipv4.HEADER_LENGTH, SimulatedNetwork.IP_A, SimulatedNetwork.IP_B);
    net.b.input(packet, Ipv4.HEADER_LENGTH, 7, SimulatedNetwork.IP_A, SimulatedNetwork.IP_B);
    assertEquals(2, net.countersB.tcpMalformed.get());
    assertEquals(0, net.countersB.tcpResetsSent.get());
    net.b.inputAuthenticated(packet, Ipv4.HEADER_LENGTH, 7, SimulatedNetwork.IP_A, SimulatedNetwork.IP_B);
    assertEquals(3, net.countersB.tcpMalformed.get(), "a segment out of the tunnel is still validated");
  }

  @Test
  void aZeroWindowIsProbedUntilTheReaderMakesRoom() throws Exception {
    SimulatedNetwork net = lossless();
    TcpConnection[] pair = connect(net);
    byte[] data = new byte[100_000];
    new java.util.Random(3).nextBytes(data);
    int written = 0;
    for (int i = 0; i < 50; i++) {
      written += pair[0].tryWrite(data, written, data.length - written);
      net.advance(100 * MILLI);
    }
    assertEquals(16 * 1024 + 16 * 1024, written, "receive window and send buffer are full");
    long before = net.countersA.tcpSegmentsSent.get();
    net.advance(Duration.ofSeconds(30).toNanos());
    assertTrue(net.countersA.tcpSegmentsSent.get() > before, "the sender probes the zero window");
    assertEquals(TcpConnection.State.ESTABLISHED, pair[0].state(), "probes answered keep the connection");
    byte[] received = new byte[data.length];
    int read = 0;
    for (int i = 0; i < 2000 && read < data.length; i++) {
      read += Math.max(0, pair[1].tryRead(received, read, received.length - read));
      written += pair[0].tryWrite(data, written, data.length - written);
      net.advance(10 * MILLI);
    }
    assertArrayEquals(data, received);
  }

  @Test
  void keepAliveFailsAConnectionWhosePeerVanished() throws Exception {
    SimulatedNetwork net = lossless();
    TcpConnection[] pair = connect(net);
    net.advance(Duration.ofSeconds(30).toNanos());
    assertEquals(TcpConnection.State.ESTABLISHED, pair[0].state(), "answered keep-alives keep an idle connection");
    net.up = false;
    net.advance(Duration.ofSeconds(30).toNanos());
    assertEquals(TcpConnection.State.CLOSED, pair[0].state());
    SocketTimeoutException e = assertThrows(SocketTimeoutException.class, () -> pair[0].tryRead(new byte[1], 0, 1));
    assertTrue(e.getMessage().contains("keep-alive"), e.getMessage());
  }

  @Test
  void halfCloseThenTimeWaitLastsTwoMsl() throws Exception {
    SimulatedNetwork net = lossless();
    TcpConnection[] pair = connect(net);
    pair[0].shutdownOutput();
    net.advance(10 * MILLI);
    assertEquals(-1, pair[1].tryRead(new byte[10], 0, 10), "the server sees the end of the stream");
    assertEquals(TcpConnection.State.FIN_WAIT_2, pair[0].state());
    byte[] late = "still talking".getBytes();
    assertEquals(late.length, pair[1].tryWrite(late, 0, late.length), "the other direction stays open");
    net.advance(10 * MILLI);
    byte[] got = new byte[late.length];
    assertEquals(late.length, pair[0].tryRead(got, 0, got.length));
    assertArrayEquals(late, got);
    pair[1].close();
    net.advance(10 * MILLI);
    assertEquals(TcpConnection.State.TIME_WAIT, pair[0].state());
    net.advance(Duration.ofSeconds(59).toNanos());
    assertEquals(TcpConnection.State.TIME_WAIT, pair[0].state());
    net.advance(Duration.ofSeconds(2).toNanos());
    assertEquals(TcpConnection.State.CLOSED, pair[0].state());
    assertEquals(0, net.a.connectionCount() + net.b.connectionCount());
  }

  @Test
  void closingWithUnreadDataResetsThePeer() throws Exception {
    SimulatedNetwork net = lossless();
    TcpConnection[] pair = connect(net);
    pair[0].tryWrite(new byte[100], 0, 100);
    net.advance(10 * MILLI);
    pair[1].close();
    net.advance(10 * MILLI);
    SocketException e = assertThrows(SocketException.class, () -> pair[0].tryRead(new byte[1], 0, 1));
    assertTrue(e.getMessage().contains("reset"), e.getMessage());
  }

  @Test
  void theConnectionLimitHolds() throws Exception {
    SimulatedNetwork net = new SimulatedNetwork(1, 0, 0, MILLI, 0, CONFIG.withMaxConnections(4, 4));
    for (int i = 0; i < 4; i++) {
      net.a.connect(SimulatedNetwork.IP_B, 80);
    }
    IOException full = assertThrows(IOException.class, () -> net.a.connect(SimulatedNetwork.IP_B, 80));
    assertTrue(full.getMessage().contains("maximum"), full.getMessage());
    assertEquals(1, net.countersA.tcpConnectionLimit.get());
  }

  @Test
  void optionsAreNegotiated() throws Exception {
    SimulatedNetwork net = new SimulatedNetwork(1, 0, 0, MILLI, 0, TcpConfig.defaults(1420));
    TcpConnection[] pair = connect(net);
    byte[] data = new byte[300_000];
    Arrays.fill(data, (byte) 7);
    int written = 0;
    byte[] sink = new byte[65536];
    long read = 0;
    for (int i = 0; i < 1000 && read < data.length; i++) {
      written += pair[0].tryWrite(data, written, data.length - written);
      net.advance(MILLI);
      int n;
      while ((n = pair[1].tryRead(sink, 0, sink.length)) > 0) {
        read += n;
      }
    }
    assertEquals(data.length, read, "more than 64 KiB in flight needs window scaling");
  }

  /** Connects A to a listener on B port 80; returns {client, server}. */
  private static TcpConnection[] connect(SimulatedNetwork net) throws Exception {
    TcpListener listener = net.b.listen(80);
    TcpConnection client = net.a.connect(SimulatedNetwork.IP_B, 80);
    net.advance(10 * MILLI);
    TcpConnection server = listener.accept(0);
    assertNotNull(server);
    assertEquals(TcpConnection.State.ESTABLISHED, client.state());
    return new TcpConnection[] {client, server};
  }
}
