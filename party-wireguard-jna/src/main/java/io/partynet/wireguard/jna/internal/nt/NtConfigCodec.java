package io.partynet.wireguard.jna.internal.nt;

import io.partynet.Endpoint;
import io.partynet.IpPrefix;
import io.partynet.Key;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Packs an {@link NtInterface} into the buffer {@code WireGuardSetConfiguration} takes and parses the
 * one {@code WireGuardGetConfiguration} fills: a {@code WIREGUARD_INTERFACE}, then for each peer a
 * {@code WIREGUARD_PEER} directly followed by its {@code WIREGUARD_ALLOWED_IP}s. All three structs
 * are multiples of 8 bytes, so they stack without padding between them. Windows is little-endian;
 * ports and addresses inside a sockaddr are big-endian as everywhere.
 *
 * <p>Stateless and thread-safe; pure functions on byte buffers, no native code.
 */
public final class NtConfigCodec {
  /** wireguard.dll takes the buffer size as a DWORD; far above any real configuration anyway. */
  static final long MAX_BUFFER_BYTES = Integer.MAX_VALUE;

  private NtConfigCodec() {}

  /** The exact number of bytes {@link #encode} produces for {@code config}. */
  public static long encodedSize(NtInterface config) {
    long size = NtStructs.Interface.SIZE;
    for (NtPeer peer : config.peers()) {
      size += NtStructs.Peer.SIZE + (long) NtStructs.AllowedIp.SIZE * peer.allowedIps().size();
    }
    return size;
  }

  /**
   * The configuration as a little-endian buffer, position 0, limit at its end; padding and fields not
   * flagged as present are zero.
   */
  public static ByteBuffer encode(NtInterface config) {
    long size = encodedSize(config);
    if (size > MAX_BUFFER_BYTES) {
      throw new IllegalArgumentException("configuration needs " + size
          + " bytes, more than wireguard.dll accepts in one call; configure the peers in several calls");
    }
    ByteBuffer out = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
    writeInterface(out, config);
    for (NtPeer peer : config.peers()) {
      writePeer(out, peer);
      for (NtAllowedIp allowedIp : peer.allowedIps()) {
        writeAllowedIp(out, allowedIp);
      }
    }
    return out.flip();
  }

  private static void writeInterface(ByteBuffer out, NtInterface config) {
    int base = out.position();
    int flags = (config.replacePeers() ? NtStructs.Interface.REPLACE_PEERS : 0)
        | (config.privateKey().isPresent() ? NtStructs.Interface.HAS_PRIVATE_KEY : 0)
        | (config.publicKey().isPresent() ? NtStructs.Interface.HAS_PUBLIC_KEY : 0)
        | (config.listenPort().isPresent() ? NtStructs.Interface.HAS_LISTEN_PORT : 0);
    out.putInt(base + NtStructs.Interface.FLAGS, flags);
    config.listenPort().ifPresent(port -> out.putShort(base + NtStructs.Interface.LISTEN_PORT, (short) port));
    config.privateKey().ifPresent(key -> out.put(base + NtStructs.Interface.PRIVATE_KEY, key.toBytes()));
    config.publicKey().ifPresent(key -> out.put(base + NtStructs.Interface.PUBLIC_KEY, key.toBytes()));
    out.putInt(base + NtStructs.Interface.PEERS_COUNT, config.peers().size());
    out.position(base + NtStructs.Interface.SIZE);
  }

  private static void writePeer(ByteBuffer out, NtPeer peer) {
    int base = out.position();
    int flags = NtStructs.Peer.HAS_PUBLIC_KEY
        | (peer.presharedKey().isPresent() ? NtStructs.Peer.HAS_PRESHARED_KEY : 0)
        | (peer.persistentKeepalive().isPresent() ? NtStructs.Peer.HAS_PERSISTENT_KEEPALIVE : 0)
        | (peer.endpoint().isPresent() ? NtStructs.Peer.HAS_ENDPOINT : 0)
        | (peer.replaceAllowedIps() ? NtStructs.Peer.REPLACE_ALLOWED_IPS : 0)
        | (peer.remove() ? NtStructs.Peer.REMOVE : 0)
        | (peer.updateOnly() ? NtStructs.Peer.UPDATE_ONLY : 0);
    out.putInt(base + NtStructs.Peer.FLAGS, flags);
    out.put(base + NtStructs.Peer.PUBLIC_KEY, peer.publicKey().toBytes());
    peer.presharedKey().ifPresent(key -> out.put(base + NtStructs.Peer.PRESHARED_KEY, key.toBytes()));
    peer.persistentKeepalive().ifPresent(
        seconds -> out.putShort(base + NtStructs.Peer.PERSISTENT_KEEPALIVE, (short) seconds));
    peer.endpoint().ifPresent(endpoint -> writeSockaddr(out, base + NtStructs.Peer.ENDPOINT, endpoint));
    out.putLong(base + NtStructs.Peer.TX_BYTES, peer.txBytes());
    out.putLong(base + NtStructs.Peer.RX_BYTES, peer.rxBytes());
    out.putLong(base + NtStructs.Peer.LAST_HANDSHAKE, peer.lastHandshakeFileTime());
    out.putInt(base + NtStructs.Peer.ALLOWED_IPS_COUNT, peer.allowedIps().size());
    out.position(base + NtStructs.Peer.SIZE);
  }

  private static void writeSockaddr(ByteBuffer out, int at, Endpoint endpoint) {
    InetSocketAddress address = endpoint.toSocketAddress();
    out.put(at, sockaddrInet(address.getAddress(), address.getPort()));
  }

  /** A {@code SOCKADDR_INET} holding {@code address} and {@code port} (0 for an interface address). */
  static byte[] sockaddrInet(InetAddress address, int port) {
    ByteBuffer out = ByteBuffer.allocate(NtStructs.SockaddrInet.SIZE).order(ByteOrder.LITTLE_ENDIAN);
    byte[] ip = address.getAddress();
    out.putShort(NtStructs.SockaddrInet.FAMILY, (short) (ip.length == 4 ? NtStructs.AF_INET : NtStructs.AF_INET6));
    putPortBigEndian(out, NtStructs.SockaddrInet.PORT, port);
    out.put(ip.length == 4 ? NtStructs.SockaddrInet.IN_ADDR : NtStructs.SockaddrInet.IN6_ADDR, ip);
    return out.array();
  }

  private static void writeAllowedIp(ByteBuffer out, NtAllowedIp allowedIp) {
    int base = out.position();
    IpPrefix prefix = allowedIp.prefix();
    out.put(base + NtStructs.AllowedIp.ADDRESS, prefix.addressBytes());
    out.putShort(base + NtStructs.AllowedIp.ADDRESS_FAMILY,
        (short) (prefix.isIpv4() ? NtStructs.AF_INET : NtStructs.AF_INET6));
    out.put(base + NtStructs.AllowedIp.CIDR, (byte) prefix.prefixLength());
    out.putInt(base + NtStructs.AllowedIp.FLAGS, allowedIp.remove() ? NtStructs.AllowedIp.REMOVE : 0);
    out.position(base + NtStructs.AllowedIp.SIZE);
  }

  private static void putPortBigEndian(ByteBuffer out, int at, int port) {
    out.put(at, (byte) (port >>> 8));
    out.put(at + 1, (byte) port);
  }

  /**
   * Parses the bytes between {@code buffer}'s position and limit, which must hold exactly one
   * configuration (as many bytes as {@code WireGuardGetConfiguration} reported). Fields whose
   * {@code HAS_*} flag is clear are ignored, since the driver leaves them untouched; flag bits this
   * version does not know are ignored too, so that a newer driver's output still parses.
   *
   * @throws NtConfigFormatException when the bytes are not such a configuration
   */
  public static NtInterface decode(ByteBuffer buffer) throws NtConfigFormatException {
    ByteBuffer in = buffer.slice().order(ByteOrder.LITTLE_ENDIAN);
    try {
      NtInterface config = readInterface(in);
      if (in.hasRemaining()) {
        throw new NtConfigFormatException(in.remaining() + " unexpected bytes after the last struct at offset "
            + in.position() + " of a " + in.limit() + "-byte configuration");
      }
      return config;
    } catch (IllegalArgumentException e) {
      throw new NtConfigFormatException("configuration holds a value PartyNet cannot represent: " + e.getMessage());
    }
  }

  private static NtInterface readInterface(ByteBuffer in) throws NtConfigFormatException {
    require(in, NtStructs.Interface.SIZE, "WIREGUARD_INTERFACE");
    int base = in.position();
    int flags = in.getInt(base + NtStructs.Interface.FLAGS);
    NtInterface.Builder builder = NtInterface.builder()
        .replacePeers((flags & NtStructs.Interface.REPLACE_PEERS) != 0);
    if ((flags & NtStructs.Interface.HAS_LISTEN_PORT) != 0) {
      builder.listenPort(Short.toUnsignedInt(in.getShort(base + NtStructs.Interface.LISTEN_PORT)));
    }
    if ((flags & NtStructs.Interface.HAS_PRIVATE_KEY) != 0) {
      builder.privateKey(readKey(in, base + NtStructs.Interface.PRIVATE_KEY));
    }
    if ((flags & NtStructs.Interface.HAS_PUBLIC_KEY) != 0) {
      builder.publicKey(readKey(in, base + NtStructs.Interface.PUBLIC_KEY));
    }
    long peersCount = Integer.toUnsignedLong(in.getInt(base + NtStructs.Interface.PEERS_COUNT));
    in.position(base + NtStructs.Interface.SIZE);
    requireCount(in, peersCount, NtStructs.Peer.SIZE, "peers", base);
    for (long i = 0; i < peersCount; i++) {
      builder.addPeer(readPeer(in, i));
    }
    return builder.build();
  }

  private static NtPeer readPeer(ByteBuffer in, long index) throws NtConfigFormatException {
    String what = "WIREGUARD_PEER #" + index;
    require(in, NtStructs.Peer.SIZE, what);
    int base = in.position();
    int flags = in.getInt(base + NtStructs.Peer.FLAGS);
    if ((flags & NtStructs.Peer.HAS_PUBLIC_KEY) == 0) {
      throw new NtConfigFormatException(what + " at offset " + base
          + " has no public key (WIREGUARD_PEER_HAS_PUBLIC_KEY is clear); every peer needs one");
    }
    NtPeer.Builder builder = NtPeer.builder(readKey(in, base + NtStructs.Peer.PUBLIC_KEY))
        .replaceAllowedIps((flags & NtStructs.Peer.REPLACE_ALLOWED_IPS) != 0)
        .remove((flags & NtStructs.Peer.REMOVE) != 0)
        .updateOnly((flags & NtStructs.Peer.UPDATE_ONLY) != 0)
        .counters(in.getLong(base + NtStructs.Peer.TX_BYTES), in.getLong(base + NtStructs.Peer.RX_BYTES),
            in.getLong(base + NtStructs.Peer.LAST_HANDSHAKE));
    if ((flags & NtStructs.Peer.HAS_PRESHARED_KEY) != 0) {
      builder.presharedKey(readKey(in, base + NtStructs.Peer.PRESHARED_KEY));
    }
    if ((flags & NtStructs.Peer.HAS_PERSISTENT_KEEPALIVE) != 0) {
      builder.persistentKeepalive(Short.toUnsignedInt(in.getShort(base + NtStructs.Peer.PERSISTENT_KEEPALIVE)));
    }
    if ((flags & NtStructs.Peer.HAS_ENDPOINT) != 0) {
      builder.endpoint(readSockaddr(in, base + NtStructs.Peer.ENDPOINT, what));
    }
    long allowedIpsCount = Integer.toUnsignedLong(in.getInt(base + NtStructs.Peer.ALLOWED_IPS_COUNT));
    in.position(base + NtStructs.Peer.SIZE);
    requireCount(in, allowedIpsCount, NtStructs.AllowedIp.SIZE, "allowed IPs of " + what, base);
    for (long i = 0; i < allowedIpsCount; i++) {
      builder.addAllowedIp(readAllowedIp(in, what + " allowed IP #" + i));
    }
    return builder.build();
  }

  private static Endpoint readSockaddr(ByteBuffer in, int at, String what) throws NtConfigFormatException {
    int family = Short.toUnsignedInt(in.getShort(at + NtStructs.SockaddrInet.FAMILY));
    byte[] ip;
    if (family == NtStructs.AF_INET) {
      ip = bytesAt(in, at + NtStructs.SockaddrInet.IN_ADDR, 4);
    } else if (family == NtStructs.AF_INET6) {
      ip = bytesAt(in, at + NtStructs.SockaddrInet.IN6_ADDR, 16);
    } else {
      throw new NtConfigFormatException(what + " endpoint at offset " + at + " has address family " + family
          + "; expected AF_INET (2) or AF_INET6 (23)");
    }
    int port = (Byte.toUnsignedInt(in.get(at + NtStructs.SockaddrInet.PORT)) << 8)
        | Byte.toUnsignedInt(in.get(at + NtStructs.SockaddrInet.PORT + 1));
    if (port == 0) {
      throw new NtConfigFormatException(what + " endpoint at offset " + at + " has port 0");
    }
    return new Endpoint(literal(ip), port);
  }

  private static NtAllowedIp readAllowedIp(ByteBuffer in, String what) throws NtConfigFormatException {
    require(in, NtStructs.AllowedIp.SIZE, what);
    int base = in.position();
    int family = Short.toUnsignedInt(in.getShort(base + NtStructs.AllowedIp.ADDRESS_FAMILY));
    int cidr = Byte.toUnsignedInt(in.get(base + NtStructs.AllowedIp.CIDR));
    int flags = in.getInt(base + NtStructs.AllowedIp.FLAGS);
    int addressLength;
    if (family == NtStructs.AF_INET) {
      addressLength = 4;
    } else if (family == NtStructs.AF_INET6) {
      addressLength = 16;
    } else {
      throw new NtConfigFormatException(what + " at offset " + base + " has address family " + family
          + "; expected AF_INET (2) or AF_INET6 (23)");
    }
    if (cidr > addressLength * 8) {
      throw new NtConfigFormatException(what + " at offset " + base + " has prefix length " + cidr
          + ", more than the " + addressLength * 8 + " bits of its address");
    }
    byte[] address = bytesAt(in, base + NtStructs.AllowedIp.ADDRESS, addressLength);
    if (addressLength == 16 && isIpv4Mapped(address)) {
      throw new NtConfigFormatException(what + " at offset " + base
          + " is an IPv4-mapped IPv6 network; configure it as IPv4 instead");
    }
    in.position(base + NtStructs.AllowedIp.SIZE);
    return new NtAllowedIp(new IpPrefix(literal(address), cidr), (flags & NtStructs.AllowedIp.REMOVE) != 0);
  }

  private static boolean isIpv4Mapped(byte[] address) {
    for (int i = 0; i < 10; i++) {
      if (address[i] != 0) {
        return false;
      }
    }
    return address[10] == (byte) 0xFF && address[11] == (byte) 0xFF;
  }

  private static String literal(byte[] address) {
    try {
      // An IPv4-mapped IPv6 endpoint comes back as its IPv4 host, which is where it leads.
      return InetAddress.getByAddress(address).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("address of " + address.length + " bytes", e);
    }
  }

  private static Key readKey(ByteBuffer in, int at) {
    return Key.fromBytes(bytesAt(in, at, NtStructs.KEY_LENGTH));
  }

  private static byte[] bytesAt(ByteBuffer in, int at, int length) {
    byte[] bytes = new byte[length];
    in.get(at, bytes);
    return bytes;
  }

  private static void require(ByteBuffer in, int size, String what) throws NtConfigFormatException {
    if (in.remaining() < size) {
      throw new NtConfigFormatException(what + " at offset " + in.position() + " needs " + size
          + " bytes but the configuration ends after " + in.remaining());
    }
  }

  private static void requireCount(ByteBuffer in, long count, int structSize, String what, int countAt)
      throws NtConfigFormatException {
    if (count * structSize > in.remaining()) {
      throw new NtConfigFormatException("the struct at offset " + countAt + " announces " + count + " " + what
          + " (" + count * structSize + " bytes) but only " + in.remaining() + " bytes follow");
    }
  }
}
