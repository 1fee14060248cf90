package io.partynet.remote.internal;

import io.partynet.protocol.internal.Protocol;
import io.partynet.spi.Backoff;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLSocketFactory;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.handshake.ServerHandshake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one event WebSocket open to the server: connects, and whenever the connection drops
 * (network, server restart, "going away") reconnects after a {@link Backoff} delay, calling
 * {@link Handler#beforeConnect()} first so the owner can re-check its credentials. Frames larger
 * than {@link Protocol#MAX_FRAME_BYTES} close the connection. Thread-safe; handler methods run on
 * the WebSocket's reader thread or the scheduler.
 */
public final class EventStream {
  private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);
  /**
   * The stream is pinged this often and dropped when nothing came back for one and a half times as
   * long. The ping is also what re-creates a home router's mapping after a NAT rebinding (a
   * conntrack flush): until then the member hears no events, so this is short (NatMatrixLabTest saw
   * a member deaf for over 30 s with 30).
   */
  private static final int LOST_CONNECTION_SECONDS = 10;
  /**
   * After a stream that was up drops (usually a server restart, announced or not), reconnect
   * attempts come every {@link #QUICK_RETRY_MAX} at most (jittered down to half) for this long
   * before the exponential backoff takes over: a restarted server is back within seconds, and
   * waiting out a grown backoff delayed members by 6-11 s.
   */
  static final Duration QUICK_RETRY_WINDOW = Duration.ofSeconds(30);
  static final Duration QUICK_RETRY_MAX = Duration.ofMillis(500);

  /** What the stream's owner does with it. */
  public interface Handler {
    /** Runs before each connection attempt; returns false to try again later (server unreachable). */
    boolean beforeConnect();

    /** The first frame to send on a fresh connection (the resume request). */
    String helloFrame();

    void onText(String text);

    void onDisconnected(String why);
  }

  /** Where to connect: asked again before every attempt (the client may have failed over to another server). */
  private final Supplier<URI> uri;
  private final Supplier<String> token;
  private final SSLSocketFactory sslSocketFactory;
  private final Duration connectTimeout;
  private final Backoff backoff;
  private final ScheduledExecutorService scheduler;
  private final Handler handler;
  private final Object lock = new Object();
  private WebSocketClient current;
  private int failures;
  private boolean healthy;
  private long quickRetryUntilNanos;
  private boolean closed;

  public EventStream(Supplier<URI> uri, Supplier<String> token, SSLSocketFactory sslSocketFactory, Duration connectTimeout,
      Backoff backoff, ScheduledExecutorService scheduler, Handler handler) {
    this.uri = Objects.requireNonNull(uri, "uri");
    this.token = Objects.requireNonNull(token, "token");
    this.sslSocketFactory = sslSocketFactory;
    this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.handler = Objects.requireNonNull(handler, "handler");
  }

  /** Opens the first connection in the background. */
  public void start() {
    scheduler.execute(this::connect);
  }

  /** The server confirmed the stream (sent {@code ready}): the next failure starts backoff afresh. */
  public void markHealthy() {
    synchronized (lock) {
      failures = 0;
      healthy = true;
    }
  }

  /** Drops the current connection and reconnects (used on "going away"). */
  public void reconnectSoon() {
    WebSocketClient ws;
    synchronized (lock) {
      ws = current;
    }
    if (ws != null) {
      ws.close();
    }
  }

  public void close() {
    WebSocketClient ws;
    synchronized (lock) {
      closed = true;
      ws = current;
      current = null;
    }
    if (ws != null) {
      ws.close();
    }
  }

  private void connect() {
    synchronized (lock) {
      if (closed) {
        return;
      }
    }
    if (!readyToConnect()) {
      scheduleReconnect();
      return;
    }
    URI target = uri.get();
    WebSocketClient ws = new Connection(target, Map.of(Protocol.AUTHORIZATION, Protocol.BEARER + token.get()));
    ws.setConnectionLostTimeout(LOST_CONNECTION_SECONDS);
    if (sslSocketFactory != null) {
      ws.setSocketFactory(sslSocketFactory);
    }
    synchronized (lock) {
      if (closed) {
        return;
      }
      current = ws;
    }
    ws.connect();
    scheduler.schedule(() -> {
      if (!ws.isOpen() && !ws.isClosed()) {
        LOG.debug("event stream connect to {} timed out", target);
        abandon(ws, "event stream connect to " + target + " timed out");
      }
    }, connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Gives up an attempt that did not open in time (a server that took the TCP connection but never
   * answered the upgrade, e.g. a stalled one) and schedules the next. The library's {@code close()}
   * on a connection still in its opening handshake calls no {@code onClose}, so the stream used
   * to stay down for good; the attempt is taken out of {@link #current} first, so an
   * {@code onClose} that does come is not counted twice.
   */
  private void abandon(WebSocketClient ws, String why) {
    boolean mine = release(ws);
    ws.closeConnection(CloseFrame.ABNORMAL_CLOSE, "connect timed out");
    if (mine) {
      lost(why);
    }
  }

  /** Takes {@code ws} out of {@link #current}; true when it was the live attempt (count its end once). */
  private boolean release(WebSocketClient ws) {
    synchronized (lock) {
      boolean mine = current == ws && !closed;
      if (mine) {
        current = null;
      }
      return mine;
    }
  }

  private void lost(String why) {
    handler.onDisconnected(why);
    scheduleReconnect();
  }

  /**
   * The handler's check before an attempt; an unexpected failure counts as "not yet". Thrown out of
   * the scheduled task instead, it would be swallowed by the scheduler and nothing would ever
   * reconnect: the stream would stay down for good.
   */
  private boolean readyToConnect() {
    try {
      return handler.beforeConnect();
    } catch (RuntimeException e) {
      LOG.warn("event stream: the check before connecting failed ({}); trying again", e.toString());
      return false;
    }
  }

  private void scheduleReconnect() {
    Duration delay;
    synchronized (lock) {
      if (closed) {
        return;
      }
      long now = System.nanoTime();
      if (healthy) {
        healthy = false;
        quickRetryUntilNanos = now + QUICK_RETRY_WINDOW.toNanos();
      }
      failures++;
      delay = backoff.delay(failures - 1);
      if (now - quickRetryUntilNanos < 0 && delay.compareTo(QUICK_RETRY_MAX) > 0) {
        delay = QUICK_RETRY_MAX.dividedBy(2).plusMillis(
            java.util.concurrent.ThreadLocalRandom.current().nextLong(QUICK_RETRY_MAX.toMillis() / 2 + 1));
      }
    }
    LOG.debug("event stream reconnects in {} ms", delay.toMillis());
    scheduler.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private final class Connection extends WebSocketClient {
    Connection(URI uri, Map<String, String> headers) {
      super(uri, new Draft_6455(Collections.emptyList(), Protocol.MAX_FRAME_BYTES), headers,
          (int) connectTimeout.toMillis());
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
      send(handler.helloFrame());
    }

    @Override
    public void onMessage(String message) {
      handler.onText(message);
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
      if (release(this)) {
        lost("event stream closed (" + code + (reason.isEmpty() ? "" : ", " + reason) + ")");
      }
    }

    @Override
    public void onError(Exception ex) {
      LOG.debug("event stream error: {}", ex.toString());
    }
  }
}
