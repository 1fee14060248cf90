package io.partynet.core.internal.socks;

/** The reply codes of RFC 1928 section 6 that this proxy sends. */
public enum SocksReply {
  SUCCEEDED(0x00),
  /** Malformed or truncated input, too many connections, or any failure without a better code. */
  GENERAL_FAILURE(0x01),
  /** The party network is down or there is no party. */
  NETWORK_UNREACHABLE(0x03),
  /** No route to the address, no answer in time, or a name that is not an IPv4 literal. */
  HOST_UNREACHABLE(0x04),
  CONNECTION_REFUSED(0x05),
  COMMAND_NOT_SUPPORTED(0x07),
  ADDRESS_TYPE_NOT_SUPPORTED(0x08);

  private final int code;

  SocksReply(int code) {
    this.code = code;
  }

  /** The code on the wire. */
  public int code() {
    return code;
  }
}
