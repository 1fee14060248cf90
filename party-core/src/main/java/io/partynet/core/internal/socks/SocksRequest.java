package io.partynet.core.internal.socks;

/**
 * A client's CONNECT request, validated: the destination on the party network.
 *
 * @param host the destination: a dotted IPv4 address, or a member's name (see {@link #byName()})
 * @param port the destination's TCP port, 1..65535
 */
public record SocksRequest(String host, int port) {
  /** Longest name a request can carry (its length is one byte). */
  static final int MAX_NAME_LENGTH = 255;

  public SocksRequest {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535: " + port);
    }
    if (SocksCodec.parseIpv4Literal(host) == null && !isName(host)) {
      throw new IllegalArgumentException("not a dotted IPv4 address or a name of 1.." + MAX_NAME_LENGTH
          + " characters without control characters");
    }
  }

  /** True when {@link #host()} is a name to resolve among the members, not an IPv4 address. */
  public boolean byName() {
    return SocksCodec.parseIpv4Literal(host) == null;
  }

  static boolean isName(String text) {
    return text != null && !text.isEmpty() && text.length() <= MAX_NAME_LENGTH
        && text.codePoints().noneMatch(Character::isISOControl);
  }
}
