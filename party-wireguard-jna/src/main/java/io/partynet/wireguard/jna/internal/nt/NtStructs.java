package io.partynet.wireguard.jna.internal.nt;

/**
 * Sizes, field offsets and flag values of the structs in wireguard-nt's {@code api/wireguard.h}
 * (x86-64 and arm64 Windows; the structs are {@code ALIGNED(8)} and contain no pointers). Each value is
 * checked against what mingw-w64 computes from the real header, see docs/wireguard-nt.md.
 */
final class NtStructs {
  private NtStructs() {}

  static final int AF_INET = 2;
  static final int AF_INET6 = 23;
  static final int KEY_LENGTH = 32;
  /** {@code ALIGNED(8)} on all three WireGuard structs; their sizes are multiples of it, so they stack. */
  static final int ALIGNMENT = 8;

  /** {@code WIREGUARD_INTERFACE}. */
  static final class Interface {
    static final int SIZE = 80;
    static final int FLAGS = 0;
    static final int LISTEN_PORT = 4;
    static final int PRIVATE_KEY = 6;
    static final int PUBLIC_KEY = 38;
    static final int PEERS_COUNT = 72;

    static final int HAS_PUBLIC_KEY = 1;
    static final int HAS_PRIVATE_KEY = 1 << 1;
    static final int HAS_LISTEN_PORT = 1 << 2;
    static final int REPLACE_PEERS = 1 << 3;

    private Interface() {}
  }

  /** {@code WIREGUARD_PEER}. */
  static final class Peer {
    static final int SIZE = 136;
    static final int FLAGS = 0;
    static final int RESERVED = 4;
    static final int PUBLIC_KEY = 8;
    static final int PRESHARED_KEY = 40;
    static final int PERSISTENT_KEEPALIVE = 72;
    static final int ENDPOINT = 76;
    static final int TX_BYTES = 104;
    static final int RX_BYTES = 112;
    static final int LAST_HANDSHAKE = 120;
    static final int ALLOWED_IPS_COUNT = 128;

    static final int HAS_PUBLIC_KEY = 1;
    static final int HAS_PRESHARED_KEY = 1 << 1;
    static final int HAS_PERSISTENT_KEEPALIVE = 1 << 2;
    static final int HAS_ENDPOINT = 1 << 3;
    static final int REPLACE_ALLOWED_IPS = 1 << 5;
    static final int REMOVE = 1 << 6;
    static final int UPDATE_ONLY = 1 << 7;

    private Peer() {}
  }

  /** {@code WIREGUARD_ALLOWED_IP}. */
  static final class AllowedIp {
    static final int SIZE = 24;
    static final int ADDRESS = 0;
    static final int ADDRESS_FAMILY = 16;
    static final int CIDR = 18;
    static final int FLAGS = 20;

    static final int REMOVE = 1;

    private AllowedIp() {}
  }

  /**
   * {@code SOCKADDR_INET}, the union of {@code SOCKADDR_IN} and {@code SOCKADDR_IN6} (4-byte aligned);
   * the port and addresses are in network byte order, the family in host (little-endian) order.
   */
  static final class SockaddrInet {
    static final int SIZE = 28;
    /** From the 32-bit flowinfo and scope id; why {@code WIREGUARD_PEER.Endpoint} sits at 76, not 74. */
    static final int ALIGNMENT = 4;
    static final int FAMILY = 0;
    static final int PORT = 2;
    static final int IN_ADDR = 4;
    static final int IN6_FLOWINFO = 4;
    static final int IN6_ADDR = 8;
    static final int IN6_SCOPE_ID = 24;

    private SockaddrInet() {}
  }
}
