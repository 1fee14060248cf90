package io.partynet.examples.cli;

import io.partynet.TransportProtocol;
import java.util.List;
import java.util.Locale;

/**
 * What {@code party expose}, {@code party forward} and {@code party socks} ask for, parsed and checked before anything
 * is started: on the command line ({@code expose tcp 25565 --to 127.0.0.1:25566}), in the create
 * and join options ({@code --expose tcp:25565[:HOST:PORT]}, {@code --forward tcp:LOCAL:VIP:PORT},
 * the order of {@code ssh -L}) and as the request line a running member receives on its control
 * socket ({@link #requestLine()}). Immutable and thread-safe.
 */
sealed interface PortSpec {

  /** The control-socket request that sets this up in the running member. */
  String requestLine();

  /**
   * A virtual port of mine that reaches a local server.
   *
   * @param protocol TCP or UDP
   * @param port the port on my virtual IP
   * @param targetHost the local server's address (an IP literal; 127.0.0.1 by default)
   * @param targetPort the local server's port (the virtual port by default)
   */
  record Expose(TransportProtocol protocol, int port, String targetHost, int targetPort) implements PortSpec {
    @Override
    public String requestLine() {
      return "expose " + name(protocol) + " " + port + " " + hostPort(targetHost, targetPort);
    }

    @Override
    public String toString() {
      return "expose " + name(protocol) + " " + port + " -> " + hostPort(targetHost, targetPort);
    }
  }

  /**
   * A loopback port of mine that stands for a peer's virtual IP and port.
   *
   * @param protocol TCP or UDP
   * @param localPort the port on 127.0.0.1 (0 for any free one)
   * @param virtualIp the peer's virtual IPv4 address
   * @param port the peer's port
   */
  record Forward(TransportProtocol protocol, int localPort, String virtualIp, int port) implements PortSpec {
    @Override
    public String requestLine() {
      return "forward " + name(protocol) + " " + localPort + " " + virtualIp + ":" + port;
    }

    @Override
    public String toString() {
      return "forward " + name(protocol) + " 127.0.0.1:" + localPort + " -> " + virtualIp + ":" + port;
    }
  }

  /**
   * A local SOCKS5 proxy onto the party network (every peer's TCP ports through one loopback port).
   *
   * @param localPort the port on 127.0.0.1 (0 for any free one)
   */
  record Socks(int localPort) implements PortSpec {
    @Override
    public String requestLine() {
      return "socks " + localPort;
    }

    @Override
    public String toString() {
      return "socks5 proxy 127.0.0.1:" + localPort;
    }
  }

  /** {@code socks LOCAL_PORT} and {@code --socks LOCAL_PORT}. */
  static Socks socks(String localPort) throws CliException {
    return new Socks(port(localPort, "the SOCKS5 proxy's local port", true));
  }

  /** {@code expose PROTOCOL PORT [--to HOST:PORT]}; {@code to} may be null. */
  static Expose expose(String protocol, String port, String to) throws CliException {
    TransportProtocol p = protocol(protocol);
    int virtualPort = port(port, "the port to expose", false);
    if (to == null) {
      return new Expose(p, virtualPort, "127.0.0.1", virtualPort);
    }
    HostPort target = hostPort(to, "--to");
    if (!isIpLiteral(target.host)) {
      throw CliException.usage("--to needs an IP address and port like 127.0.0.1:25565 or [::1]:25565, got '"
          + to + "'");
    }
    return new Expose(p, virtualPort, target.host, target.port);
  }

  /** {@code forward PROTOCOL LOCAL_PORT VIRTUAL_IP:PORT}. */
  static Forward forward(String protocol, String localPort, String destination) throws CliException {
    TransportProtocol p = protocol(protocol);
    int local = port(localPort, "the local port", true);
    HostPort to = hostPort(destination, "the destination");
    if (!isIpv4(to.host)) {
      throw CliException.usage("the destination must be a member's virtual IPv4 address and port like "
          + "10.77.0.2:25565 (see 'party status'), got '" + destination + "'");
    }
    return new Forward(p, local, to.host, to.port);
  }

  /** {@code --expose PROTOCOL:PORT[:HOST:PORT]}. */
  static Expose exposeOption(String value) throws CliException {
    String[] parts = value.split(":", 3);
    if (parts.length == 2) {
      return expose(parts[0], parts[1], null);
    }
    if (parts.length == 3) {
      return expose(parts[0], parts[1], parts[2]);
    }
    throw CliException.usage("--expose needs PROTOCOL:PORT or PROTOCOL:PORT:HOST:PORT (e.g. tcp:25565), got '"
        + value + "'");
  }

  /** {@code --forward PROTOCOL:LOCAL_PORT:VIRTUAL_IP:PORT}. */
  static Forward forwardOption(String value) throws CliException {
    String[] parts = value.split(":", 3);
    if (parts.length != 3) {
      throw CliException.usage("--forward needs PROTOCOL:LOCAL_PORT:VIRTUAL_IP:PORT (e.g. tcp:25565:10.77.0.1:25565),"
          + " got '" + value + "'");
    }
    return forward(parts[0], parts[1], parts[2]);
  }

  /** Parses a control-socket request line ({@link #requestLine()}). */
  static PortSpec ofRequest(String line) throws CliException {
    List<String> words = List.of(line.trim().split(" +"));
    if (words.size() == 4 && words.get(0).equals("expose")) {
      return expose(words.get(1), words.get(2), words.get(3));
    }
    if (words.size() == 4 && words.get(0).equals("forward")) {
      return forward(words.get(1), words.get(2), words.get(3));
    }
    if (words.size() == 2 && words.get(0).equals("socks")) {
      return socks(words.get(1));
    }
    throw CliException.usage("malformed request '" + line + "'");
  }

  private static TransportProtocol protocol(String value) throws CliException {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "tcp" -> TransportProtocol.TCP;
      case "udp" -> TransportProtocol.UDP;
      default -> throw CliException.usage("the protocol must be tcp or udp, got '" + value + "'");
    };
  }

  private static int port(String value, String what, boolean zeroAllowed) throws CliException {
    int min = zeroAllowed ? 0 : 1;
    try {
      int port = Integer.parseInt(value);
      if (port >= min && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw CliException.usage(what + " must be a number from " + min + " to 65535, got '" + value + "'");
  }

  /** {@code host:port} or {@code [ipv6]:port}. */
  record HostPort(String host, int port) {}

  private static HostPort hostPort(String value, String what) throws CliException {
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw CliException.usage(what + " needs HOST:PORT, got '" + value + "'");
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      throw CliException.usage(what + ": write an IPv6 address in brackets, like [::1]:25565, got '" + value + "'");
    }
    return new HostPort(host, port(value.substring(colon + 1), "the port in " + what, false));
  }

  /** Dotted-quad IPv4 without leading zeros' ambiguity: four numbers 0..255. */
  static boolean isIpv4(String host) {
    String[] octets = host.split("\\.", -1);
    if (octets.length != 4) {
      return false;
    }
    for (String o : octets) {
      if (o.isEmpty() || o.length() > 3 || !o.chars().allMatch(Character::isDigit) || Integer.parseInt(o) > 255) {
        return false;
      }
    }
    return true;
  }

  /** An IPv4 literal, or an IPv6 literal (hex digits, colons, an optional embedded IPv4 tail). */
  private static boolean isIpLiteral(String host) {
    if (isIpv4(host)) {
      return true;
    }
    return host.indexOf(':') >= 0 && host.length() <= 45
        && host.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
  }

  private static String name(TransportProtocol protocol) {
    return protocol.name().toLowerCase(Locale.ROOT);
  }

  private static String hostPort(String host, int port) {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
