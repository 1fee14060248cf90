package io.partynet.core.internal.discovery;

/**
 * A multicast group and UDP port on which a game announces or looks for LAN sessions.
 *
 * @param group an IPv4 multicast address (224.0.0.0/4), dotted
 */
public record GroupPort(String group, int port) {
  public GroupPort {
    if (!Ipv4.isMulticast(Ipv4.parse(group))) {
      throw new IllegalArgumentException("not a multicast group (224.0.0.0/4): " + group);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be in 1..65535: " + port);
    }
    group = Ipv4.format(Ipv4.parse(group));
  }

  /** Parses {@code GROUP:PORT}, e.g. {@code 224.0.2.60:4445}. */
  public static GroupPort parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("expected GROUP:PORT, e.g. 224.0.2.60:4445: " + text);
    }
    try {
      return new GroupPort(text.substring(0, colon).trim(), Integer.parseInt(text.substring(colon + 1).trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected GROUP:PORT, e.g. 224.0.2.60:4445: " + text, e);
    }
  }

  @Override
  public String toString() {
    return group + ":" + port;
  }
}
