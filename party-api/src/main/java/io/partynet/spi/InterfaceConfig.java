package io.partynet.spi;

import io.partynet.IpPrefix;
import io.partynet.Key;
import java.util.Objects;

/**
 * What a {@link NetworkBackend} needs to bring an interface up.
 *
 * <p>Immutable and thread-safe. {@link #toString()} does not show the private key.
 *
 * @param name interface name, 1..15 characters
 * @param privateKey the member's WireGuard private key
 * @param listenPort UDP port, 0 for any free port
 * @param address the member's virtual address with the party's prefix length ({@code 10.77.0.2/16})
 * @param mtu interface MTU, 576..9000 (1420 is WireGuard's usual value)
 */
public record InterfaceConfig(String name, Key privateKey, int listenPort, IpPrefix address, int mtu) {
  /** WireGuard's usual MTU: 1500 less the outer IPv6, UDP and WireGuard headers. */
  public static final int DEFAULT_MTU = 1420;

  /**
   * Checks the parts.
   *
   * @param name interface name, 1..15 characters
   * @param privateKey the member's WireGuard private key
   * @param listenPort UDP port, 0 for any free port
   * @param address the member's virtual address with the party's prefix length ({@code 10.77.0.2/16})
   * @param mtu interface MTU, 576..9000 (1420 is WireGuard's usual value)
   * @throws IllegalArgumentException when the name, port or MTU is out of range
   */
  /** The smallest MTU an interface may have: IPv4's minimum datagram every host must accept (RFC 791). */
  public static final int MIN_MTU = 576;
  /** The largest MTU an interface may have: a jumbo frame. */
  public static final int MAX_MTU = 9000;

  public InterfaceConfig {
    if (name == null || !name.matches("[A-Za-z0-9_.-]{1,15}")) {
      throw new IllegalArgumentException("interface name must be 1..15 characters of [A-Za-z0-9_.-]: " + name);
    }
    Objects.requireNonNull(privateKey, "privateKey");
    if (listenPort < 0 || listenPort > 65535) {
      throw new IllegalArgumentException("listen port must be 0..65535: " + listenPort);
    }
    Objects.requireNonNull(address, "address");
    if (mtu < MIN_MTU || mtu > MAX_MTU) {
      throw new IllegalArgumentException("MTU must be " + MIN_MTU + ".." + MAX_MTU + ": " + mtu);
    }
  }
}
