package io.partynet.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The client side of SOCKS5 (RFC 1928), written independently of the proxy under test: the
 * messages a client sends, and a CONNECT over a plain {@link Socket} that reports the reply.
 * Stateless.
 */
public final class Socks5Client {
  private Socks5Client() {}

  /**
   * A CONNECT's outcome: the reply code and, when it is 0 (succeeded), the connected socket.
   *
   * @param reply the REP field of the proxy's reply
   * @param boundIp BND.ADDR in dotted form
   * @param boundPort BND.PORT
   * @param socket the socket to the proxy, open after a success and closed otherwise
   */
  public record Connected(int reply, String boundIp, int boundPort, Socket socket) {}

  /** A greeting offering {@code methods}. */
  public static byte[] greeting(int... methods) {
    byte[] g = new byte[2 + methods.length];
    g[0] = 5;
    g[1] = (byte) methods.length;
    for (int i = 0; i < methods.length; i++) {
      g[2 + i] = (byte) methods[i];
    }
    return g;
  }

  /** A CONNECT request to an IPv4 address given in dotted form (ATYP 1). */
  public static byte[] connectToIpv4(String ip, int port) {
    String[] parts = ip.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("not a dotted IPv4 address: " + ip);
    }
    byte[] r = new byte[10];
    r[0] = 5;
    r[1] = 1;
    r[3] = 1;
    for (int i = 0; i < 4; i++) {
      r[4 + i] = (byte) Integer.parseInt(parts[i]);
    }
    r[8] = (byte) (port >>> 8);
    r[9] = (byte) port;
    return r;
  }

  /** A CONNECT request to a name (ATYP 3) of at most 255 bytes in UTF-8. */
  public static byte[] connectToName(String name, int port) {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    byte[] r = new byte[7 + n.length];
    r[0] = 5;
    r[1] = 1;
    r[3] = 3;
    r[4] = (byte) n.length;
    System.arraycopy(n, 0, r, 5, n.length);
    r[5 + n.length] = (byte) (port >>> 8);
    r[6 + n.length] = (byte) port;
    return r;
  }

  /**
   * Connects to {@code proxy}, offers "no authentication", sends {@code request} and reads the
   * reply; every read waits at most {@code timeout}.
   *
   * @throws IOException when the proxy refuses the method, closes early or does not answer in time
   */
  public static Connected connect(SocketAddress proxy, byte[] request, Duration timeout) throws IOException {
    Socket socket = new Socket();
    try {
      socket.connect(proxy, (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write(greeting(0));
      byte[] method = readExactly(in, 2);
      if (method[0] != 5 || method[1] != 0) {
        throw new IOException("the proxy chose method " + (method[1] & 0xFF));
      }
      out.write(request);
      byte[] reply = readExactly(in, 10);
      if (reply[0] != 5 || reply[3] != 1) {
        throw new IOException("not a SOCKS5 IPv4 reply: version " + reply[0] + ", address type " + reply[3]);
      }
      String ip = (reply[4] & 0xFF) + "." + (reply[5] & 0xFF) + "." + (reply[6] & 0xFF) + "." + (reply[7] & 0xFF);
      int port = (reply[8] & 0xFF) << 8 | reply[9] & 0xFF;
      if (reply[1] != 0) {
        socket.close();
      }
      return new Connected(reply[1] & 0xFF, ip, port, socket);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /** Exactly {@code n} bytes, or an {@link java.io.EOFException}. */
  public static byte[] readExactly(InputStream in, int n) throws IOException {
    byte[] bytes = in.readNBytes(n);
    if (bytes.length < n) {
      throw new java.io.EOFException("the proxy closed after " + bytes.length + " of " + n + " bytes");
    }
    return bytes;
  }
}
