package io.partynet.core.internal.socks;

/**
 * A client's CONNECT request, validated: the destination on the party network.
 *
 * @param virtualIp the destination's IPv4 address in dotted form
 * @param port the destination's TCP port, 1..65535
 */
public record SocksRequest(String virtualIp, int port) {
  public SocksRequest {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535: " + port);
    }
    if (SocksCodec.parseIpv4Literal(virtualIp) == null) {
      throw new IllegalArgumentException("not a dotted IPv4 address: " + virtualIp);
    }
  }
}
