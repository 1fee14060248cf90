package io.partynet.core.internal.discovery;

/** IPv4 addresses as 32-bit ints, the form the relay compares and frames them in. Stateless. */
public final class Ipv4 {
  /** The limited broadcast address 255.255.255.255. */
  public static final int LIMITED_BROADCAST = 0xFFFFFFFF;

  private Ipv4() {}

  /** Parses a dotted quad; rejects anything else (no host names: nothing is ever looked up). */
  public static int parse(String dotted) {
    String[] parts = dotted.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address: " + dotted);
    }
    int value = 0;
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException("not an IPv4 address: " + dotted);
      }
      int octet = Integer.parseInt(part);
      if (octet > 255) {
        throw new IllegalArgumentException("not an IPv4 address: " + dotted);
      }
      value = value << 8 | octet;
    }
    return value;
  }

  public static String format(int address) {
    return (address >>> 24) + "." + (address >>> 16 & 0xFF) + "." + (address >>> 8 & 0xFF) + "." + (address & 0xFF);
  }

  /** 224.0.0.0/4. */
  public static boolean isMulticast(int address) {
    return (address & 0xF0000000) == 0xE0000000;
  }
}
