package io.partynet.server.internal.http;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The address a request counts against for rate and concurrency limits: the socket's remote
 * address, or, behind a reverse proxy the operator runs ({@code --trust-proxy}), the last
 * {@code X-Forwarded-For} hop (the one that proxy appended; earlier hops are the client's word).
 * Stateless and thread-safe.
 */
final class ClientAddress {
  private static final int MAX_LENGTH = 64;

  private ClientAddress() {}

  static String of(HttpServletRequest request, boolean trustProxy) {
    if (trustProxy) {
      String forwarded = request.getHeader("X-Forwarded-For");
      if (forwarded != null && !forwarded.isBlank()) {
        String[] hops = forwarded.split(",");
        String last = hops[hops.length - 1].trim();
        if (!last.isEmpty() && last.length() <= MAX_LENGTH) {
          return last;
        }
      }
    }
    return request.getRemoteAddr();
  }
}
