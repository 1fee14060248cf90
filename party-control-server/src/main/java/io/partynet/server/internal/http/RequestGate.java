package io.partynet.server.internal.http;

import io.partynet.PartyException.Reason;
import io.partynet.protocol.internal.Protocol;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * The first thing every request meets, before any thread reads its body: a declared body over
 * {@link Protocol#MAX_BODY_BYTES} is refused with 413 at once, and the requests in flight are
 * bounded per client address and in total, so one client (or a few) holding requests open cannot
 * take every server thread. A request over a bound is answered at once ({@code 429} for the
 * address bound, {@code 503} for the total, both with {@code Retry-After}). {@code /v1/health}
 * passes untouched, so monitoring sees the server alive while it sheds load. Thread-safe.
 */
public final class RequestGate implements Filter {
  private final int perAddress;
  private final Semaphore total;
  private final boolean trustProxy;
  private final Map<String, Integer> inFlight = new ConcurrentHashMap<>();

  public RequestGate(int perAddress, int total, boolean trustProxy) {
    if (perAddress < 1 || total < perAddress) {
      throw new IllegalArgumentException("request bounds need 1 <= per address <= total: " + perAddress + ", " + total);
    }
    this.perAddress = perAddress;
    this.total = new Semaphore(total);
    this.trustProxy = trustProxy;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    if (Protocol.HEALTH.equals(request.getRequestURI())) {
      chain.doFilter(req, res);
      return;
    }
    if (request.getContentLengthLong() > Protocol.MAX_BODY_BYTES) {
      response.setHeader("Connection", "close");
      JsonErrors.write(response, 413, Reason.INVALID_ARGUMENT,
          "request body larger than " + Protocol.MAX_BODY_BYTES + " bytes");
      return;
    }
    String address = ClientAddress.of(request, trustProxy);
    if (!acquire(address)) {
      response.setHeader(Protocol.RETRY_AFTER, "1");
      JsonErrors.write(response, 429, Reason.RATE_LIMITED,
          "too many requests in flight from your address (at most " + perAddress + "); slow down");
      return;
    }
    try {
      if (!total.tryAcquire()) {
        response.setHeader(Protocol.RETRY_AFTER, "1");
        JsonErrors.write(response, 503, Reason.CONTROL_PLANE_UNAVAILABLE,
            "the server is at its limit of requests in flight; retry shortly");
        return;
      }
      try {
        chain.doFilter(req, res);
      } finally {
        total.release();
      }
    } finally {
      release(address);
    }
  }

  private boolean acquire(String address) {
    boolean[] admitted = new boolean[1];
    inFlight.compute(address, (k, n) -> {
      int current = n == null ? 0 : n;
      admitted[0] = current < perAddress;
      return admitted[0] ? current + 1 : n;
    });
    return admitted[0];
  }

  private void release(String address) {
    inFlight.computeIfPresent(address, (k, n) -> n <= 1 ? null : n - 1);
  }

  /** Requests in flight now, over all addresses (for tests and monitoring). */
  public int inFlight() {
    return inFlight.values().stream().mapToInt(Integer::intValue).sum();
  }
}
