package io.partynet.core.internal.socks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The server side of the SOCKS5 handshake (RFC 1928 sections 3 to 6): reads a greeting and a
 * request field by field, validating each before reading the next, so every input is bounded by
 * the format itself (at most 257 bytes of greeting and 262 of request) and the first invalid
 * field decides the reply. Reads exactly the handshake's bytes, never ahead: whatever the client
 * sends after its request belongs to the connection. Stateless.
 */
public final class SocksCodec {
  static final int VERSION = 5;
  static final int METHOD_NO_AUTHENTICATION = 0x00;
  static final int METHOD_NONE_ACCEPTABLE = 0xFF;
  static final int COMMAND_CONNECT = 1;
  static final int ADDRESS_IPV4 = 1;
  static final int ADDRESS_DOMAIN_NAME = 3;

  private SocksCodec() {}

  /**
   * Reads a greeting: VER 5, NMETHODS 1..255, that many METHODS.
   *
   * @return whether the client offers "no authentication required"
   * @throws SocksRejected with {@link SocksReply#GENERAL_FAILURE} when malformed or truncated
   * @throws IOException when reading fails (a timeout, a reset)
   */
  public static boolean readGreeting(InputStream in) throws IOException {
    int version = readByte(in, "greeting version");
    if (version != VERSION) {
      throw new SocksRejected(SocksReply.GENERAL_FAILURE, "greeting of SOCKS version " + version + ", not 5");
    }
    int count = readByte(in, "number of methods");
    if (count == 0) {
      throw new SocksRejected(SocksReply.GENERAL_FAILURE, "greeting offers no authentication method");
    }
    boolean noAuthentication = false;
    for (byte method : readBytes(in, count, "methods")) {
      noAuthentication |= (method & 0xFF) == METHOD_NO_AUTHENTICATION;
    }
    return noAuthentication;
  }

  /**
   * The method selection message (section 3).
   *
   * @param noAuthentication true to select "no authentication required", false for "no acceptable methods"
   */
  public static byte[] methodSelection(boolean noAuthentication) {
    return new byte[] {VERSION, (byte) (noAuthentication ? METHOD_NO_AUTHENTICATION : METHOD_NONE_ACCEPTABLE)};
  }

  /**
   * Reads a request (section 4): VER 5, CMD CONNECT, RSV 0, ATYP IPv4 or a domain name (a dotted
   * IPv4 literal, or a member's name that the proxy resolves), DST.ADDR, DST.PORT 1..65535.
   *
   * @throws SocksRejected with the reply for the first invalid field: a malformed or truncated
   *     request or a name with control characters {@link SocksReply#GENERAL_FAILURE}, a command
   *     other than CONNECT {@link SocksReply#COMMAND_NOT_SUPPORTED}, IPv6 or an unknown address
   *     type {@link SocksReply#ADDRESS_TYPE_NOT_SUPPORTED}
   * @throws IOException when reading fails (a timeout, a reset)
   */
  public static SocksRequest readRequest(InputStream in) throws IOException {
    int version = readByte(in, "request version");
    if (version != VERSION) {
      throw new SocksRejected(SocksReply.GENERAL_FAILURE, "request of SOCKS version " + version + ", not 5");
    }
    int command = readByte(in, "command");
    if (command != COMMAND_CONNECT) {
      throw new SocksRejected(SocksReply.COMMAND_NOT_SUPPORTED, "command " + command + "; only CONNECT (1) is supported");
    }
    int reserved = readByte(in, "reserved byte");
    if (reserved != 0) {
      throw new SocksRejected(SocksReply.GENERAL_FAILURE, "reserved byte is " + reserved + ", not 0");
    }
    String host = readAddress(in);
    byte[] port = readBytes(in, 2, "port");
    int portNumber = (port[0] & 0xFF) << 8 | port[1] & 0xFF;
    if (portNumber == 0) {
      throw new SocksRejected(SocksReply.GENERAL_FAILURE, "destination port 0");
    }
    return new SocksRequest(host, portNumber);
  }

  private static String readAddress(InputStream in) throws IOException {
    int type = readByte(in, "address type");
    if (type == ADDRESS_IPV4) {
      byte[] a = readBytes(in, 4, "IPv4 address");
      return (a[0] & 0xFF) + "." + (a[1] & 0xFF) + "." + (a[2] & 0xFF) + "." + (a[3] & 0xFF);
    }
    if (type != ADDRESS_DOMAIN_NAME) {
      throw new SocksRejected(SocksReply.ADDRESS_TYPE_NOT_SUPPORTED,
          "address type " + type + "; the party network is IPv4 (1) or a name (3)");
    }
    int length = readByte(in, "name length");
    if (length == 0) {
      throw new SocksRejected(SocksReply.GENERAL_FAILURE, "empty destination name");
    }
    String name = new String(readBytes(in, length, "name"), StandardCharsets.UTF_8);
    int[] octets = parseIpv4Literal(name);
    if (octets != null) {
      return octets[0] + "." + octets[1] + "." + octets[2] + "." + octets[3];
    }
    if (!SocksRequest.isName(name)) {
      // Only the length is logged: a name may say where a user goes.
      throw new SocksRejected(SocksReply.GENERAL_FAILURE, "a destination name of " + length
          + " bytes with control characters");
    }
    return name;
  }

  /**
   * A success or failure reply (section 6) with BND.ADDR and BND.PORT.
   *
   * @param boundIp the IPv4 address in dotted form, or null for 0.0.0.0
   * @param boundPort 0..65535
   */
  public static byte[] reply(SocksReply reply, String boundIp, int boundPort) {
    int[] octets = boundIp == null ? new int[4] : parseIpv4Literal(boundIp);
    if (octets == null || boundPort < 0 || boundPort > 65535) {
      throw new IllegalArgumentException("bound address must be IPv4 and port 0..65535: " + boundIp + ":" + boundPort);
    }
    return new byte[] {VERSION, (byte) reply.code(), 0, ADDRESS_IPV4,
        (byte) octets[0], (byte) octets[1], (byte) octets[2], (byte) octets[3],
        (byte) (boundPort >>> 8), (byte) boundPort};
  }

  /**
   * The four octets of a strict dotted IPv4 literal (four decimal parts 0..255 without leading
   * zeros, which some resolvers read as octal), or null.
   */
  static int[] parseIpv4Literal(String text) {
    if (text == null || text.length() < 7 || text.length() > 15) {
      return null;
    }
    int[] octets = new int[4];
    int part = 0;
    int value = -1;
    int digits = 0;
    for (int i = 0; i <= text.length(); i++) {
      char c = i < text.length() ? text.charAt(i) : '.';
      if (c == '.') {
        if (digits == 0 || part == 4) {
          return null;
        }
        octets[part++] = value;
        value = -1;
        digits = 0;
      } else if (c >= '0' && c <= '9') {
        if (digits > 0 && value == 0) {
          return null;
        }
        value = (value < 0 ? 0 : value * 10) + (c - '0');
        if (++digits > 3 || value > 255) {
          return null;
        }
      } else {
        return null;
      }
    }
    return part == 4 ? octets : null;
  }

  private static int readByte(InputStream in, String field) throws IOException {
    int b = in.read();
    if (b < 0) {
      throw truncated(field);
    }
    return b;
  }

  private static byte[] readBytes(InputStream in, int count, String field) throws IOException {
    byte[] bytes = in.readNBytes(count);
    if (bytes.length < count) {
      throw truncated(field);
    }
    return bytes;
  }

  private static SocksRejected truncated(String field) {
    return new SocksRejected(SocksReply.GENERAL_FAILURE, "the client ended the handshake before the " + field);
  }
}
