package io.partynet;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Validation of IP literals without any name resolution. */
final class IpAddresses {
  private IpAddresses() {}

  static boolean isIpv4Literal(String s) {
    if (s == null || s.isEmpty() || s.length() > 15) {
      return false;
    }
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
        return false;
      }
      for (int i = 0; i < part.length(); i++) {
        if (!Character.isDigit(part.charAt(i)) || part.charAt(i) > '9') {
          return false;
        }
      }
      if (Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }

  static boolean isIpv6Literal(String s) {
    if (s == null || s.length() < 2 || s.length() > 45 || s.indexOf(':') < 0) {
      return false;
    }
    // The JDK parses text as a literal only when it starts with a hex digit or ':'; anything else
    // (".1:2") it would resolve as a host name.
    if (Character.digit(s.charAt(0), 16) < 0 && s.charAt(0) != ':') {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
          || c == ':' || c == '.';
      if (!ok) {
        return false;
      }
    }
    try {
      // Only hex digits, colons and dots reach here, so this never triggers a DNS lookup.
      return InetAddress.getByName(s).getAddress().length == 16;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  static boolean isLiteral(String s) {
    return isIpv4Literal(s) || isIpv6Literal(s);
  }

  /**
   * {@code literal} in the text form of RFC 5952 section 4 (see {@link #rfc5952(byte[])}), whatever
   * form it was written in: the one text form {@link Endpoint} and {@link IpPrefix} write.
   */
  static String rfc5952(String literal) {
    return rfc5952(bytes(literal));
  }

  /**
   * The text form of RFC 5952 section 4: IPv4 in dotted decimal; IPv6 in lower case, without
   * leading zeros, with the longest run of two or more zero groups (the first of equally long
   * ones) written {@code ::}.
   */
  static String rfc5952(byte[] address) {
    if (address.length == 4) {
      return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "."
          + (address[3] & 0xff);
    }
    if (address.length != 16) {
      throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + address.length);
    }
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = (address[2 * i] & 0xff) << 8 | address[2 * i + 1] & 0xff;
    }
    int bestStart = -1;
    int bestLength = 1; // a single zero group is written 0, not ::
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder text = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        text.append("::");
        i += bestLength - 1;
        continue;
      }
      if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
        text.append(':');
      }
      text.append(Integer.toHexString(groups[i]));
    }
    return text.toString();
  }

  static byte[] bytes(String literal) {
    if (!isLiteral(literal)) {
      throw new IllegalArgumentException("not an IP literal: " + literal);
    }
    try {
      return InetAddress.getByName(literal).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP literal: " + literal, e);
    }
  }
}
