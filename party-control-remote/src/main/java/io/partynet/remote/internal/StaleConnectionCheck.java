package io.partynet.remote.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import okhttp3.Connection;
import okhttp3.Interceptor;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Makes sure a request that must not be sent twice does not go out on a pooled HTTP/1.1
 * connection the server has already closed. A server that restarts (or times out an idle
 * connection) closes its keep-alive connections; OkHttp probes a pooled connection only after it
 * was idle for 10 s, so a POST right after a restart is written into a dead socket and fails with
 * "unexpected end of stream", and it cannot be retried because the client cannot know whether the
 * server got it. Here, before any byte of such a request is written, the connection is read with a
 * 1 ms timeout: an idle HTTP/1.1 connection must have nothing to read, so end of stream (or
 * anything else than the timeout) means the server is gone from it. The connection is then closed,
 * so the pool drops it, and {@link StaleConnectionException} tells the caller that nothing was
 * sent, so it may try again on a new connection. The check runs for requests tagged with a
 * {@link Marker} only (non-idempotent calls); HTTP/2 connections are multiplexed and never read
 * here. Thread-safe: it keeps no state.
 */
final class StaleConnectionCheck implements Interceptor {
  private static final int PROBE_MILLIS = 1;

  /** The tag that asks for the check. */
  enum Marker { CHECK_FRESHNESS }

  /** The connection was closed by the server before the request was written: nothing was sent. */
  static final class StaleConnectionException extends IOException {
    StaleConnectionException(String message) {
      super(message);
    }
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    Connection connection = chain.connection();
    if (request.tag(Marker.class) != null && connection != null && connection.protocol() == Protocol.HTTP_1_1
        && closedByPeer(connection.socket())) {
      connection.socket().close();
      throw new StaleConnectionException("the server had closed the kept-alive connection before "
          + request.method() + " " + request.url().encodedPath() + " was sent");
    }
    return chain.proceed(request);
  }

  /** True when the idle socket is at end of stream, reset, or holds bytes nobody asked for. */
  static boolean closedByPeer(Socket socket) throws IOException {
    int timeout = socket.getSoTimeout();
    try {
      socket.setSoTimeout(PROBE_MILLIS);
      InputStream in = socket.getInputStream();
      in.read();
      return true;
    } catch (SocketTimeoutException healthy) {
      return false;
    } catch (IOException broken) {
      return true;
    } finally {
      if (!socket.isClosed()) {
        socket.setSoTimeout(timeout);
      }
    }
  }
}
