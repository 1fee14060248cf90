package io.partynet.core.internal.socks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.BackendUnavailableException;
import io.partynet.testing.Eventually;
import io.partynet.testing.Socks5Client;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The proxy's own behaviour over real loopback sockets, where no party connection is made: method
 * negotiation, no party network, the connection limit, the handshake deadline, closing. Carrying
 * connections onto a real party network is proven in party-wireguard-embedded's
 * {@code SocksProxyEmbeddedTest}.
 */
class SocksProxyServerTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final SocksProxyServer.Limits LONG_HANDSHAKE = new SocksProxyServer.Limits(
      Duration.ofSeconds(60), Duration.ofSeconds(15), Duration.ofSeconds(1), Duration.ofSeconds(30), 1);

  @Test
  void listensOnLoopbackOnlyAndRefusesClientsThatWantAuthentication() throws IOException {
    try (SocksProxyServer proxy = SocksProxyServer.start(SocksProxyServerTest::noNetwork, 0);
        Socket client = connect(proxy)) {
      assertEquals(InetAddress.getLoopbackAddress(), proxy.localAddress().getAddress());
      client.getOutputStream().write(Socks5Client.greeting(2, 1));
      InputStream in = client.getInputStream();
      assertArrayEquals(new byte[] {5, (byte) 0xFF}, Socks5Client.readExactly(in, 2));
      assertEquals(-1, in.read(), "closed after 'no acceptable methods'");
    }
  }

  @Test
  void withoutAPartyNetworkTheReplyIsNetworkUnreachable() throws IOException {
    try (SocksProxyServer proxy = SocksProxyServer.start(SocksProxyServerTest::noNetwork, 0)) {
      Socks5Client.Connected c = Socks5Client.connect(proxy.localAddress(), Socks5Client.connectToIpv4("10.66.0.2", 80), WAIT);
      assertEquals(SocksReply.NETWORK_UNREACHABLE.code(), c.reply());
      assertEquals("0.0.0.0", c.boundIp());
      Eventually.until(WAIT, () -> proxy.activeConnections() == 0, "the connection slot to be released");
    }
  }

  @Test
  void aClientBeyondTheLimitIsToldGeneralFailure() throws IOException {
    try (SocksProxyServer proxy = SocksProxyServer.start(SocksProxyServerTest::noNetwork, 0, LONG_HANDSHAKE);
        Socket holder = connect(proxy)) {
      holder.getOutputStream().write(Socks5Client.greeting(0));
      assertArrayEquals(new byte[] {5, 0}, Socks5Client.readExactly(holder.getInputStream(), 2));
      assertEquals(1, proxy.activeConnections(), "the holder is in its handshake");
      Socks5Client.Connected refused = Socks5Client.connect(proxy.localAddress(),
          Socks5Client.connectToIpv4("10.66.0.2", 80), WAIT);
      assertEquals(SocksReply.GENERAL_FAILURE.code(), refused.reply());
      holder.close();
      Eventually.until(WAIT, () -> proxy.activeConnections() == 0, "the holder's slot to be released");
      Socks5Client.Connected served = Socks5Client.connect(proxy.localAddress(),
          Socks5Client.connectToIpv4("10.66.0.2", 80), WAIT);
      assertEquals(SocksReply.NETWORK_UNREACHABLE.code(), served.reply(), "served again once a slot is free");
    }
  }

  @Test
  void aClientThatDoesNotFinishItsHandshakeIsDisconnected() throws IOException {
    SocksProxyServer.Limits shortHandshake = new SocksProxyServer.Limits(
        Duration.ofMillis(300), Duration.ofSeconds(15), Duration.ofSeconds(1), Duration.ofSeconds(30), 4);
    try (SocksProxyServer proxy = SocksProxyServer.start(SocksProxyServerTest::noNetwork, 0, shortHandshake);
        Socket client = connect(proxy)) {
      client.getOutputStream().write(new byte[] {5, 1}); // the method never comes
      InputStream in = client.getInputStream();
      assertEquals(-1, in.read(), "closed without an answer once the deadline passed");
      Eventually.until(WAIT, () -> proxy.activeConnections() == 0, "the slot to be released");
    }
  }

  @Test
  void closingDisconnectsClients() throws IOException {
    SocksProxyServer proxy = SocksProxyServer.start(SocksProxyServerTest::noNetwork, 0, LONG_HANDSHAKE);
    try (Socket client = connect(proxy)) {
      client.getOutputStream().write(Socks5Client.greeting(0));
      Socks5Client.readExactly(client.getInputStream(), 2);
      proxy.close();
      assertThrows(IOException.class, () -> {
        if (client.getInputStream().read() == -1) {
          throw new SocketException("closed");
        }
      });
      // Whether the port is free again is not asserted: on a shared machine any process may take it at once.
      Eventually.until(WAIT, () -> proxy.activeConnections() == 0, "the aborted session to end");
    }
  }

  @Test
  void aTakenPortIsABindExceptionThatSaysWhatToDo() throws IOException {
    try (SocksProxyServer proxy = SocksProxyServer.start(SocksProxyServerTest::noNetwork, 0)) {
      BindException e = assertThrows(BindException.class,
          () -> SocksProxyServer.start(SocksProxyServerTest::noNetwork, proxy.localAddress().getPort()));
      assertTrue(e.getMessage().contains("choose another port"), e.getMessage());
    }
  }

  @Test
  void connectFailuresMapToTheRfcReplies() {
    assertEquals(SocksReply.CONNECTION_REFUSED, ConnectFailures.replyFor(new ConnectException("refused")));
    assertEquals(SocksReply.HOST_UNREACHABLE, ConnectFailures.replyFor(new NoRouteToHostException("no route")));
    assertEquals(SocksReply.HOST_UNREACHABLE, ConnectFailures.replyFor(new SocketTimeoutException("no answer")));
    assertEquals(SocksReply.GENERAL_FAILURE, ConnectFailures.replyFor(new BindException("no ports")));
    assertEquals(SocksReply.NETWORK_UNREACHABLE, ConnectFailures.replyFor(new SocketException("interface down")));
    assertEquals(SocksReply.GENERAL_FAILURE, ConnectFailures.replyFor(new IOException("other")));
    assertEquals(SocksReply.GENERAL_FAILURE, ConnectFailures.replyFor(new IllegalStateException("bug")));
  }

  private static Socket connect(SocksProxyServer proxy) throws IOException {
    Socket s = new Socket();
    s.connect(proxy.localAddress(), (int) WAIT.toMillis());
    s.setSoTimeout((int) WAIT.toMillis());
    return s;
  }

  private static io.partynet.spi.PartyNetwork noNetwork() {
    throw new BackendUnavailableException("no party");
  }
}
