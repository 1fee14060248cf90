package io.partynet;

import java.util.Objects;

/**
 * An IP network in CIDR form, {@code 10.77.0.0/16} or {@code fd00::/64}: used for the party's
 * virtual subnet and for WireGuard allowed IPs. The address keeps the bits the user gave (so
 * {@code 10.77.0.5/32} names one host); {@link #network()} masks them. IPv6 is written in the
 * RFC 5952 form ({@code fd00::/64}, lower case, the longest run of zero groups as {@code ::})
 * whatever form it was given in, so equal networks make equal prefixes; {@link #parse} reads every
 * valid form, including the uncompressed {@code fd00:0:0:0:0:0:0:0/64} earlier versions wrote.
 *
 * <p>Immutable and thread-safe.
 */
public record IpPrefix(String address, int prefixLength) {

  /**
   * Checks and canonicalizes the parts: an IPv6 address becomes its RFC 5952 text.
   *
   * @param address an IPv4 or IPv6 literal
   * @param prefixLength 0..32 for IPv4, 0..128 for IPv6
   * @throws IllegalArgumentException when either is out of range
   */
  public IpPrefix {
    Objects.requireNonNull(address, "address");
    if (!IpAddresses.isLiteral(address)) {
      throw new IllegalArgumentException("not an IP address literal: " + address);
    }
    address = IpAddresses.rfc5952(address);
    int max = IpAddresses.isIpv4Literal(address) ? 32 : 128;
    if (prefixLength < 0 || prefixLength > max) {
      throw new IllegalArgumentException(
          "prefix length must be 0.." + max + " for " + address + ": " + prefixLength);
    }
  }

  /**
   * Parses {@code addr/len}; a bare address means a single host (/32 or /128).
   *
   * @param text the prefix as written, at most 64 characters
   * @return the prefix
   * @throws IllegalArgumentException when {@code text} is not an IP literal with an optional length
   */
  public static IpPrefix parse(String text) {
    Objects.requireNonNull(text, "text");
    String s = text.trim();
    if (s.length() > 64) {
      throw new IllegalArgumentException("IP prefix too long");
    }
    int slash = s.indexOf('/');
    if (slash < 0) {
      return new IpPrefix(s, IpAddresses.isIpv4Literal(s) ? 32 : 128);
    }
    try {
      return new IpPrefix(s.substring(0, slash), Integer.parseInt(s.substring(slash + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("prefix length is not a number: " + text);
    }
  }

  /**
   * Whether this is an IPv4 prefix.
   *
   * @return true for IPv4, false for IPv6
   */
  public boolean isIpv4() {
    return IpAddresses.isIpv4Literal(address);
  }

  /**
   * The address bytes exactly as given.
   *
   * @return a new array of 4 or 16 bytes
   */
  public byte[] addressBytes() {
    return IpAddresses.bytes(address);
  }

  /**
   * This prefix with the host bits cleared.
   *
   * @return the network, e.g. {@code 10.77.0.0/16} for {@code 10.77.0.5/16}
   */
  public IpPrefix network() {
    byte[] bytes = addressBytes();
    for (int bit = prefixLength; bit < bytes.length * 8; bit++) {
      bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    return new IpPrefix(IpAddresses.rfc5952(bytes), prefixLength);
  }

  /**
   * Whether an address lies inside this network.
   *
   * @param ip an IP literal
   * @return true when its first {@link #prefixLength()} bits match; false for the other family
   */
  public boolean contains(String ip) {
    byte[] candidate = IpAddresses.bytes(ip);
    byte[] net = addressBytes();
    if (candidate.length != net.length) {
      return false;
    }
    for (int bit = 0; bit < prefixLength; bit++) {
      int mask = 0x80 >>> (bit % 8);
      if ((candidate[bit / 8] & mask) != (net[bit / 8] & mask)) {
        return false;
      }
    }
    return true;
  }

  /** {@code address/prefixLength}, the form {@link #parse} reads. */
  @Override
  public String toString() {
    return address + "/" + prefixLength;
  }
}
