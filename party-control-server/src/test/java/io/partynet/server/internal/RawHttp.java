package io.partynet.server.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * HTTP spoken by hand over one socket, for what no well-behaved client sends: bodies that trickle
 * in, lies about Content-Length, malformed request lines. Not thread-safe.
 */
final class RawHttp implements AutoCloseable {
  private final Socket socket;

  /** Connects to {@code 127.0.0.1:port} from {@code source} (any 127/8 address on Linux). */
  RawHttp(String source, int port) {
    try {
      socket = new Socket();
      socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot connect from " + source, e);
    }
  }

  RawHttp send(String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
    return this;
  }

  /** Sends a byte if the connection is still open; false once the server closed it. */
  boolean trickle() {
    try {
      socket.getOutputStream().write(' ');
      socket.getOutputStream().flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Whatever the server sent before closing or going quiet for {@code timeoutMillis}. */
  String read(int timeoutMillis) throws IOException {
    socket.setSoTimeout(timeoutMillis);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[4096];
    try {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        if (out.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n") && complete(out.toString(StandardCharsets.ISO_8859_1))) {
          break;
        }
      }
    } catch (SocketTimeoutException e) {
      // Quiet: return what arrived.
    } catch (IOException e) {
      // Reset by the server: also an answer of sorts.
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  /** True once the server's answer or end of stream is here, without waiting longer than that. */
  boolean answeredOrClosed() {
    try {
      socket.setSoTimeout(1);
      int b = socket.getInputStream().read();
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  static int status(String response) {
    if (!response.startsWith("HTTP/1.1 ")) {
      return -1;
    }
    return Integer.parseInt(response.substring(9, 12));
  }

  static String body(String response) {
    int split = response.indexOf("\r\n\r\n");
    return split < 0 ? "" : response.substring(split + 4);
  }

  private static boolean complete(String response) {
    if (status(response) == 101) {
      return true;
    }
    int split = response.indexOf("\r\n\r\n");
    String headers = response.substring(0, split).toLowerCase();
    int at = headers.indexOf("content-length:");
    if (at < 0) {
      return false;
    }
    int end = headers.indexOf("\r\n", at);
    int length = Integer.parseInt(headers.substring(at + 15, end < 0 ? headers.length() : end).trim());
    return response.length() - split - 4 >= length;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // Closing a test socket: nothing to do.
    }
  }
}
