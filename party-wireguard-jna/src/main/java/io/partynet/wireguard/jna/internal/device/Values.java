package io.partynet.wireguard.jna.internal.device;

import io.partynet.Endpoint;
import io.partynet.IpPrefix;
import io.partynet.Key;
import io.partynet.wireguard.jna.internal.device.InvalidDeviceConfigException.Problem;

/** Parses user-supplied text into validated values, turning every refusal into a typed error. */
final class Values {
  private Values() {}

  static Key key(String what, String base64) {
    try {
      return Key.fromBase64(base64);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new InvalidDeviceConfigException(Problem.BAD_KEY,
          what + " must be a 44-character base64 WireGuard key (as printed by `wg genkey`)", e);
    }
  }

  static IpPrefix allowedIp(String cidr) {
    try {
      return IpPrefix.parse(cidr);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new InvalidDeviceConfigException(Problem.BAD_ALLOWED_IP,
          "allowed IP must be an IPv4 or IPv6 CIDR such as 10.77.0.2/32: " + cidr, e);
    }
  }

  static Endpoint endpoint(String text) {
    try {
      return Endpoint.parse(text);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new InvalidDeviceConfigException(Problem.BAD_ENDPOINT,
          "endpoint must be an IP literal and port, 203.0.113.7:51820 or [2001:db8::1]:51820: " + text, e);
    }
  }

  static int port(int port) {
    if (port < 0 || port > 65535) {
      throw new InvalidDeviceConfigException(Problem.BAD_PORT,
          "listen port must be 0..65535 (0 lets WireGuard pick one): " + port);
    }
    return port;
  }

  static int keepalive(int seconds) {
    if (seconds < 0 || seconds > 65535) {
      throw new InvalidDeviceConfigException(Problem.BAD_KEEPALIVE,
          "persistent keepalive must be 0 (off)..65535 seconds: " + seconds);
    }
    return seconds;
  }
}
