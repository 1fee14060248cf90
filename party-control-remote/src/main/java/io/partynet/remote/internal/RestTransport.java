package io.partynet.remote.internal;

import com.fasterxml.jackson.databind.JavaType;
import io.partynet.ControlPlaneUnavailableException;
import io.partynet.PartyException;
import io.partynet.PartyException.Reason;
import io.partynet.protocol.internal.ErrorBody;
import io.partynet.protocol.internal.ErrorCodes;
import io.partynet.protocol.internal.IdempotencyKey;
import io.partynet.protocol.internal.Protocol;
import io.partynet.protocol.internal.ProtocolJson;
import io.partynet.spi.Backoff;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blocking JSON calls to the server with retries: an idempotent call is retried on I/O failures,
 * 429 and 5xx answers, with {@link Backoff} between attempts; a non-idempotent call is retried only when
 * it cannot have reached the server: the connection could not be opened, or the pooled connection it
 * was to use had been closed by the server ({@link StaleConnectionCheck}; then the idle connections
 * are evicted and the call goes out once more at once, without using up an attempt). Every attempt
 * is bounded by the OkHttp call timeout. A 429's Retry-After is honoured up to the backoff maximum.
 * Thread-safe.
 */
public final class RestTransport {
  private static final Logger LOG = LoggerFactory.getLogger(RestTransport.class);
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  private static final int MAX_ERROR_BODY = 4096;

  private final OkHttpClient http;
  private final ServerList servers;
  private final Backoff backoff;
  private final Sleeper sleeper;
  private final int maxAttempts;

  /**
   * The HTTP client of a control-plane client: every attempt bounded by {@code requestTimeout},
   * retries left to this transport, and TLS from {@code sslContext} when it is not null.
   */
  static OkHttpClient httpClient(Duration requestTimeout, SSLContext sslContext, X509TrustManager trustManager) {
    // The protocol never redirects: a 3xx would carry tokens and proofs to wherever it points.
    OkHttpClient.Builder http = new OkHttpClient.Builder()
        .followRedirects(false)
        .followSslRedirects(false)
        .connectTimeout(requestTimeout)
        .readTimeout(requestTimeout)
        .writeTimeout(requestTimeout)
        .callTimeout(requestTimeout)
        .retryOnConnectionFailure(false);
    if (sslContext != null) {
      http.sslSocketFactory(sslContext.getSocketFactory(), trustManager);
    }
    return http.build();
  }

  public RestTransport(OkHttpClient http, HttpUrl base, Backoff backoff, Sleeper sleeper, int maxAttempts) {
    this(http, new ServerList(java.util.List.of(base.uri())), backoff, sleeper, maxAttempts);
  }

  /**
   * With several servers a connection failure moves to the next one ({@link ServerList}); a call
   * limited to one attempt gets one per server, and any other call at least one more than there are servers.
   */
  RestTransport(OkHttpClient http, ServerList servers, Backoff backoff, Sleeper sleeper, int maxAttempts) {
    this.http = Objects.requireNonNull(http, "http").newBuilder().addNetworkInterceptor(new StaleConnectionCheck())
        .build();
    this.servers = Objects.requireNonNull(servers, "servers");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1");
    }
    this.maxAttempts = maxAttempts;
  }

  /**
   * One HTTP exchange to describe. {@code idempotencyKey}, when not null, is sent unchanged on
   * every attempt of this call (see {@link Protocol#IDEMPOTENCY_KEY}).
   */
  public record Call(String method, String path, Object body, String token, boolean idempotent, int attempts,
      IdempotencyKey idempotencyKey) {
    public static Call of(String method, String path, Object body, String token, boolean idempotent) {
      return new Call(method, path, body, token, idempotent, 0, null);
    }

    /** The same call limited to one attempt (used by start(), which must fail fast). */
    public Call once() {
      return new Call(method, path, body, token, idempotent, 1, idempotencyKey);
    }

    /** The same call naming itself with {@code key} on every attempt. */
    public Call withIdempotencyKey(IdempotencyKey key) {
      return new Call(method, path, body, token, idempotent, attempts, Objects.requireNonNull(key, "key"));
    }

    /** Everything but the bearer token. */
    @Override
    public String toString() {
      return "Call[" + method + " " + path + ", token=" + (token == null ? "none" : "<hidden>") + ", idempotent="
          + idempotent + ", attempts=" + attempts + "]";
    }
  }

  /** Performs {@code call} and reads the answer as {@code answerType} (null for "no body expected"). */
  public <T> T execute(Call call, Class<T> answerType) {
    return execute(call, answerType == null ? null : ProtocolJson.lenient().constructType(answerType));
  }

  public <T> T execute(Call call, JavaType answerType) {
    int limit = call.attempts() > 0 ? call.attempts() * servers.size() : Math.max(maxAttempts, servers.size() + 1);
    PartyException last = null;
    boolean freshConnectionTried = false;
    int attempt = 0;
    while (attempt < limit) {
      if (attempt > 0) {
        pause(retryDelay(attempt - 1, last));
      }
      attempt++;
      int server = servers.current();
      try (Response response = http.newCall(request(call, server)).execute()) {
        if (response.isSuccessful()) {
          return read(response, answerType);
        }
        last = errorOf(response);
        if (!isRetriable(response.code(), call.idempotent())) {
          throw last;
        }
        LOG.debug("{} {} answered {} (attempt {}/{})", call.method(), call.path(), response.code(), attempt, limit);
      } catch (IOException e) {
        if (e instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
          throw PartyException.of(Reason.TIMEOUT, "interrupted while calling the control plane server", e);
        }
        boolean stale = e instanceof StaleConnectionCheck.StaleConnectionException;
        if (stale && !freshConnectionTried) {
          // The server closed its kept-alive connections (a restart): the others in the pool are as dead.
          LOG.debug("{} {}: {}; sending it on a new connection", call.method(), call.path(), e.getMessage());
          http.connectionPool().evictAll();
          freshConnectionTried = true;
          attempt--;
          continue;
        }
        if (!stale) {
          servers.unreachable(server);
        }
        last = new ControlPlaneUnavailableException("cannot reach the control plane server at " + servers.base(server)
            + " (" + e.getMessage() + "); check control.server-url (or control.server-urls) and that the server is running", e);
        if (!call.idempotent() && !neverSent(e)) {
          throw last;
        }
        LOG.debug("{} {} failed: {} (attempt {}/{})", call.method(), call.path(), e.toString(), attempt, limit);
      }
    }
    throw last;
  }

  /** Releases pooled connections and OkHttp's threads. */
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  private static boolean isRetriable(int status, boolean idempotent) {
    return idempotent && (status == 429 || status == 502 || status == 503 || status == 504);
  }

  /** Refused or unroutable connections never carried the request, so even a POST may be retried. */
  private static boolean neverSent(IOException e) {
    return e instanceof java.net.ConnectException || e instanceof java.net.NoRouteToHostException
        || e instanceof StaleConnectionCheck.StaleConnectionException;
  }

  /** The backoff delay before retry {@code retry} (0 for the first), or the server's Retry-After when longer, never beyond the backoff's maximum. */
  private Duration retryDelay(int retry, PartyException last) {
    Duration delay = backoff.delay(retry);
    if (last instanceof RetryAfter ra && ra.retryAfter != null && ra.retryAfter.compareTo(delay) > 0) {
      delay = ra.retryAfter.compareTo(backoff.max()) < 0 ? ra.retryAfter : backoff.max();
    }
    return delay;
  }

  private void pause(Duration delay) {
    try {
      sleeper.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw PartyException.of(Reason.TIMEOUT, "interrupted while waiting to retry a control plane call", e);
    }
  }

  private Request request(Call call, int server) {
    HttpUrl url = Objects.requireNonNull(servers.base(server).resolve(call.path().substring(1)), "bad path " + call.path());
    Request.Builder b = new Request.Builder().url(url).header("Accept", "application/json");
    if (!call.idempotent()) {
      b.tag(StaleConnectionCheck.Marker.class, StaleConnectionCheck.Marker.CHECK_FRESHNESS);
    }
    if (call.token() != null) {
      b.header(Protocol.AUTHORIZATION, Protocol.BEARER + call.token());
    }
    if (call.idempotencyKey() != null) {
      b.header(Protocol.IDEMPOTENCY_KEY, call.idempotencyKey().headerValue());
    }
    RequestBody body = call.body() == null ? null : RequestBody.create(ProtocolJson.write(call.body()), JSON);
    if (body == null && (call.method().equals("POST") || call.method().equals("PUT"))) {
      body = RequestBody.create(new byte[0], JSON);
    }
    return b.method(call.method(), body).build();
  }

  private static <T> T read(Response response, JavaType answerType) throws IOException {
    ResponseBody body = response.body();
    if (answerType == null || body == null) {
      return null;
    }
    try {
      return ProtocolJson.lenient().readValue(body.charStream(), answerType);
    } catch (IOException | RuntimeException e) {
      // Not a bug on this side: the URL points at something that is not a PartyNet server (a captive
      // portal, a web site) or at a server of another protocol version, so the control plane is unusable.
      throw PartyException.of(Reason.CONTROL_PLANE_UNAVAILABLE, "the control plane server sent an answer this "
          + "client cannot read (" + e.getMessage() + "); check that control.server-url points at a PartyNet server "
          + "speaking protocol " + Protocol.VERSION, e);
    }
  }

  private static PartyException errorOf(Response response) {
    if (response.isRedirect()) {
      return PartyException.of(Reason.INVALID_ARGUMENT, "the control plane server answered with a redirect (HTTP "
          + response.code() + "); redirects are not followed, so tokens never travel elsewhere: set"
          + " control.server-url to the address that serves the API itself");
    }
    String code = null;
    String message = "HTTP " + response.code();
    ResponseBody body = response.body();
    if (body != null) {
      try {
        String text = body.source().readUtf8(Math.min(MAX_ERROR_BODY, Math.max(0, body.contentLength() < 0
            ? MAX_ERROR_BODY : body.contentLength())));
        ErrorBody error = ProtocolJson.lenient().readValue(text, ErrorBody.class);
        code = error.code();
        message = error.message();
      } catch (IOException | RuntimeException e) {
        LOG.debug("error answer {} without a readable body: {}", response.code(), e.toString());
      }
    }
    Reason reason = ErrorCodes.reasonOf(code, response.code());
    PartyException typed = ErrorCodes.toException(reason, message);
    if (response.code() == 429) {
      return new RetryAfter(typed, parseRetryAfter(response.header(Protocol.RETRY_AFTER)));
    }
    return typed;
  }

  private static Duration parseRetryAfter(String header) {
    if (header == null) {
      return null;
    }
    try {
      long seconds = Long.parseLong(header.trim());
      return seconds >= 0 && seconds < 3600 ? Duration.ofSeconds(seconds) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** A 429 answer that carried a Retry-After header. */
  private static final class RetryAfter extends PartyException {
    private final transient Duration retryAfter;

    RetryAfter(PartyException typed, Duration retryAfter) {
      super(Reason.RATE_LIMITED, typed.getMessage());
      this.retryAfter = retryAfter;
    }
  }
}
