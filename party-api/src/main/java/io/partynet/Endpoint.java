package io.partynet;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * A UDP endpoint: an IP address literal and a port. Written {@code 203.0.113.7:51820} or
 * {@code [2001:db8::1]:51820} (IPv6 in the RFC 5952 form, whatever form it was given in). Host
 * names are refused on purpose: endpoints come from the network, and resolving a name an untrusted
 * peer sent would leak queries to a resolver.
 *
 * <p>Immutable and thread-safe.
 */
public record Endpoint(String host, int port) {

  /**
   * Checks and canonicalizes the parts: an IPv6 host becomes its RFC 5952 text
   * ({@code 2001:db8::1}), so equal addresses make equal endpoints.
   *
   * @param host an IPv4 or IPv6 literal, never a name
   * @param port 1..65535
   * @throws IllegalArgumentException when either is out of range
   */
  public Endpoint {
    Objects.requireNonNull(host, "host");
    if (!IpAddresses.isLiteral(host)) {
      throw new IllegalArgumentException("endpoint host must be an IPv4 or IPv6 literal: " + host);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("endpoint port must be 1..65535: " + port);
    }
    host = IpAddresses.rfc5952(host);
  }

  /**
   * Parses {@code a.b.c.d:port} or {@code [v6]:port}.
   *
   * @param text the endpoint as written, at most 64 characters
   * @return the endpoint
   * @throws IllegalArgumentException when {@code text} is not an IP literal and a port
   */
  public static Endpoint parse(String text) {
    Objects.requireNonNull(text, "text");
    String s = text.trim();
    if (s.length() > 64) {
      throw new IllegalArgumentException("endpoint too long");
    }
    String host;
    String portText;
    if (s.startsWith("[")) {
      int close = s.indexOf("]:");
      if (close < 0) {
        throw new IllegalArgumentException("IPv6 endpoint must look like [addr]:port: " + text);
      }
      host = s.substring(1, close);
      portText = s.substring(close + 2);
    } else {
      int colon = s.lastIndexOf(':');
      if (colon < 0 || s.indexOf(':') != colon) {
        throw new IllegalArgumentException("endpoint must look like host:port: " + text);
      }
      host = s.substring(0, colon);
      portText = s.substring(colon + 1);
    }
    int port;
    try {
      port = Integer.parseInt(portText);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("endpoint port is not a number: " + text);
    }
    return new Endpoint(host, port);
  }

  /**
   * The endpoint of a resolved socket address.
   *
   * @param address a socket address with an IP address
   * @return its IP literal and port
   */
  public static Endpoint of(InetSocketAddress address) {
    return new Endpoint(address.getAddress().getHostAddress(), address.getPort());
  }

  /**
   * This endpoint as a socket address (no name lookup: the host is a literal).
   *
   * @return the socket address
   */
  public InetSocketAddress toSocketAddress() {
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("validated literal did not parse: " + host, e);
    }
  }

  /**
   * Whether the address is IPv6.
   *
   * @return true for an IPv6 literal
   */
  public boolean isIpv6() {
    return host.indexOf(':') >= 0;
  }

  /** {@code host:port}, or {@code [host]:port} for IPv6: the form {@link #parse} reads. */
  @Override
  public String toString() {
    return isIpv6() ? "[" + host + "]:" + port : host + ":" + port;
  }
}
