package io.partynet.wireguard.jna.internal.uapi;

import io.partynet.Endpoint;
import io.partynet.IpPrefix;
import io.partynet.Key;
import io.partynet.wireguard.jna.internal.device.DeviceConfig;
import io.partynet.wireguard.jna.internal.device.DeviceState;
import io.partynet.wireguard.jna.internal.device.ErrnoException;
import io.partynet.wireguard.jna.internal.device.InvalidDeviceConfigException;
import io.partynet.wireguard.jna.internal.device.PeerSettings;
import io.partynet.wireguard.jna.internal.device.PeerState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Pure codec of the WireGuard cross-platform userspace API (wireguard.com/xplatform): a request
 * is {@code set=1} or {@code get=1} followed by {@code key=value} lines and an empty line; the
 * daemon answers {@code errno=N} (after the device's lines for a get) and an empty line. Keys are
 * lowercase hex, endpoints {@code a.b.c.d:port} or {@code [v6]:port}. Decoders of requests are
 * strict (an unknown key is an error); the decoder of get answers skips keys it does not know so
 * that newer daemons stay readable.
 *
 * <p>Stateless and thread-safe.
 */
public final class UapiCodec {
  /** An answer or request longer than this is refused (about 30,000 peers). */
  public static final int MAX_MESSAGE_CHARS = 16 * 1024 * 1024;
  static final String GET_REQUEST = "get=1\n\n";

  private UapiCodec() {}

  public static String encodeSet(DeviceConfig config) {
    StringBuilder s = new StringBuilder("set=1\n");
    config.privateKey().ifPresent(k -> line(s, "private_key", k.toHex()));
    config.listenPort().ifPresent(p -> line(s, "listen_port", Integer.toString(p)));
    config.fwmark().ifPresent(m -> line(s, "fwmark", Integer.toUnsignedString(m)));
    if (config.replacePeers()) {
      line(s, "replace_peers", "true");
    }
    for (PeerSettings p : config.peers()) {
      line(s, "public_key", p.publicKey().toHex());
      if (p.remove()) {
        line(s, "remove", "true");
      }
      if (p.updateOnly()) {
        line(s, "update_only", "true");
      }
      p.presharedKey().ifPresent(k -> line(s, "preshared_key", k.toHex()));
      p.endpoint().ifPresent(e -> line(s, "endpoint", e.toString()));
      p.persistentKeepaliveSeconds().ifPresent(k -> line(s, "persistent_keepalive_interval", Integer.toString(k)));
      if (p.replaceAllowedIps()) {
        line(s, "replace_allowed_ips", "true");
      }
      p.allowedIps().forEach(ip -> line(s, "allowed_ip", ip.toString()));
    }
    return s.append('\n').toString();
  }

  public static DeviceConfig decodeSet(String request) throws MalformedUapiException {
    List<String[]> lines = lines(request, "set=1");
    DeviceConfig.Builder device = DeviceConfig.builder();
    PeerSettings.Builder peer = null;
    List<PeerSettings> peers = new ArrayList<>();
    try {
      for (String[] kv : lines) {
        String key = kv[0];
        String value = kv[1];
        if (key.equals("public_key")) {
          if (peer != null) {
            peers.add(peer.build());
          }
          peer = PeerSettings.builder(hexKey(value));
          continue;
        }
        if (peer == null) {
          switch (key) {
            case "private_key" -> device.privateKey(hexKey(value));
            case "listen_port" -> device.listenPort((int) number(value, 0, 65535));
            case "fwmark" -> device.fwmark((int) unsigned32(value));
            case "replace_peers" -> device.replacePeers(flag(key, value));
            default -> throw new MalformedUapiException("unknown device key in set request: " + key);
          }
        } else {
          switch (key) {
            case "remove" -> peer.remove(flag(key, value));
            case "update_only" -> peer.updateOnly(flag(key, value));
            case "preshared_key" -> peer.presharedKey(hexKey(value));
            case "endpoint" -> peer.endpoint(endpoint(value));
            case "persistent_keepalive_interval" -> peer.persistentKeepaliveSeconds((int) number(value, 0, 65535));
            case "replace_allowed_ips" -> peer.replaceAllowedIps(flag(key, value));
            case "allowed_ip" -> peer.allowedIp(prefix(value));
            case "protocol_version" -> number(value, 1, 1);
            default -> throw new MalformedUapiException("unknown peer key in set request: " + key);
          }
        }
      }
      if (peer != null) {
        peers.add(peer.build());
      }
      return device.peers(peers).build();
    } catch (IllegalArgumentException | InvalidDeviceConfigException e) {
      throw new MalformedUapiException("invalid set request: " + e.getMessage());
    }
  }

  /** The answer a daemon gives to {@code get=1}: the device's lines, {@code errno=0}, an empty line. */
  public static String encodeGetResponse(DeviceState state) {
    StringBuilder s = new StringBuilder();
    state.privateKey().ifPresent(k -> line(s, "private_key", k.toHex()));
    line(s, "listen_port", Integer.toString(state.listenPort()));
    if (state.fwmark() != 0) {
      line(s, "fwmark", Integer.toUnsignedString(state.fwmark()));
    }
    for (PeerState p : state.peers()) {
      line(s, "public_key", p.publicKey().toHex());
      p.presharedKey().ifPresent(k -> line(s, "preshared_key", k.toHex()));
      line(s, "protocol_version", Integer.toString(p.protocolVersion()));
      p.endpoint().ifPresent(e -> line(s, "endpoint", e.toString()));
      line(s, "last_handshake_time_sec", Long.toString(p.lastHandshake().map(Instant::getEpochSecond).orElse(0L)));
      line(s, "last_handshake_time_nsec", Long.toString(p.lastHandshake().map(Instant::getNano).orElse(0)));
      line(s, "tx_bytes", Long.toUnsignedString(p.txBytes()));
      line(s, "rx_bytes", Long.toUnsignedString(p.rxBytes()));
      line(s, "persistent_keepalive_interval", Integer.toString(p.persistentKeepaliveSeconds()));
      p.allowedIps().forEach(ip -> line(s, "allowed_ip", ip.toString()));
    }
    return s.append("errno=0\n\n").toString();
  }

  /**
   * Decodes a get answer. A non-zero {@code errno=} becomes an {@link ErrnoException}; anything
   * malformed a {@link MalformedUapiException}.
   */
  public static DeviceState decodeGetResponse(String response) throws MalformedUapiException, ErrnoException {
    List<String[]> lines = lines(response, null);
    if (lines.isEmpty() || !lines.get(lines.size() - 1)[0].equals("errno")) {
      throw new MalformedUapiException("get answer does not end with errno=");
    }
    int errno = errno(lines.get(lines.size() - 1)[1]);
    if (errno != 0) {
      throw new ErrnoException("UAPI get", errno);
    }
    Key privateKey = null;
    int listenPort = 0;
    int fwmark = 0;
    List<PeerState> peers = new ArrayList<>();
    PeerAccumulator peer = null;
    try {
      for (String[] kv : lines.subList(0, lines.size() - 1)) {
        String key = kv[0];
        String value = kv[1];
        if (key.equals("public_key")) {
          if (peer != null) {
            peers.add(peer.build());
          }
          peer = new PeerAccumulator(hexKey(value));
        } else if (peer == null) {
          switch (key) {
            case "private_key" -> {
              Key k = hexKey(value);
              privateKey = k.isZero() ? null : k;
            }
            case "listen_port" -> listenPort = (int) number(value, 0, 65535);
            case "fwmark" -> fwmark = (int) unsigned32(value);
            case "errno" -> throw new MalformedUapiException("errno= before the end of a get answer");
            default -> { }
          }
        } else {
          peer.accept(key, value);
        }
      }
      if (peer != null) {
        peers.add(peer.build());
      }
      return new DeviceState(Optional.empty(), 0, Optional.ofNullable(privateKey), Optional.empty(), listenPort,
          fwmark, peers);
    } catch (IllegalArgumentException | InvalidDeviceConfigException e) {
      throw new MalformedUapiException("invalid get answer: " + e.getMessage());
    }
  }

  /** Decodes the answer to a set request: {@code errno=N} and an empty line; non-zero becomes an {@link ErrnoException}. */
  public static void decodeSetResponse(String response) throws MalformedUapiException, ErrnoException {
    List<String[]> lines = lines(response, null);
    if (lines.size() != 1 || !lines.get(0)[0].equals("errno")) {
      throw new MalformedUapiException("a set answer is one errno= line, got " + lines.size() + " lines");
    }
    int errno = errno(lines.get(0)[1]);
    if (errno != 0) {
      throw new ErrnoException("UAPI set", errno);
    }
  }

  /** Collects one peer of a get answer. Not thread-safe. */
  private static final class PeerAccumulator {
    private final Key publicKey;
    private Key presharedKey;
    private Endpoint endpoint;
    private final List<IpPrefix> allowedIps = new ArrayList<>();
    private int keepalive;
    private long handshakeSeconds;
    private long handshakeNanos;
    private long rx;
    private long tx;
    private int protocolVersion;

    PeerAccumulator(Key publicKey) {
      this.publicKey = publicKey;
    }

    void accept(String key, String value) throws MalformedUapiException {
      switch (key) {
        case "preshared_key" -> {
          Key k = hexKey(value);
          presharedKey = k.isZero() ? null : k;
        }
        case "protocol_version" -> protocolVersion = (int) number(value, 0, Integer.MAX_VALUE);
        case "endpoint" -> endpoint = endpoint(value);
        case "last_handshake_time_sec" -> handshakeSeconds = number(value, 0, Instant.MAX.getEpochSecond());
        case "last_handshake_time_nsec" -> handshakeNanos = number(value, 0, 999_999_999);
        case "tx_bytes" -> tx = unsigned64(value);
        case "rx_bytes" -> rx = unsigned64(value);
        case "persistent_keepalive_interval" -> keepalive = (int) number(value, 0, 65535);
        case "allowed_ip" -> allowedIps.add(prefix(value));
        case "errno" -> throw new MalformedUapiException("errno= before the end of a get answer");
        default -> { }
      }
    }

    PeerState build() {
      Optional<Instant> handshake = handshakeSeconds == 0 && handshakeNanos == 0
          ? Optional.empty() : Optional.of(Instant.ofEpochSecond(handshakeSeconds, handshakeNanos));
      return new PeerState(publicKey, Optional.ofNullable(presharedKey), Optional.ofNullable(endpoint), allowedIps,
          keepalive, handshake, rx, tx, protocolVersion);
    }
  }

  private static void line(StringBuilder s, String key, String value) {
    s.append(key).append('=').append(value).append('\n');
  }

  /** Splits a message into key/value pairs; {@code opening}, when given, must be its first line. */
  private static List<String[]> lines(String message, String opening) throws MalformedUapiException {
    if (message.length() > MAX_MESSAGE_CHARS) {
      throw new MalformedUapiException("UAPI message of " + message.length() + " characters is over the limit");
    }
    if (!message.endsWith("\n\n")) {
      throw new MalformedUapiException("UAPI message does not end with an empty line");
    }
    String[] raw = message.substring(0, message.length() - 2).split("\n", -1);
    int start = 0;
    if (opening != null) {
      if (!raw[0].equals(opening)) {
        throw new MalformedUapiException("UAPI request must start with " + opening);
      }
      start = 1;
    }
    List<String[]> result = new ArrayList<>();
    for (int i = start; i < raw.length; i++) {
      String line = raw[i];
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw new MalformedUapiException("UAPI line without key=value: " + abbreviate(line));
      }
      result.add(new String[] {line.substring(0, eq), line.substring(eq + 1)});
    }
    return result;
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }

  private static Key hexKey(String value) throws MalformedUapiException {
    if (!value.matches("[0-9a-f]{64}")) {
      throw new MalformedUapiException("a UAPI key is 64 lowercase hex digits");
    }
    return Key.fromHex(value);
  }

  private static boolean flag(String key, String value) throws MalformedUapiException {
    if (!value.equals("true")) {
      throw new MalformedUapiException(key + " only takes the value true, got " + abbreviate(value));
    }
    return true;
  }

  /**
   * An {@code errno=} value. wireguard-go writes the negated error code ({@code errno=-98}, its
   * IPC errors are {@code -int64(unix.EADDRINUSE)}), the kernel-style tools a positive one: both
   * mean the same errno.
   */
  private static int errno(String value) throws MalformedUapiException {
    boolean negative = value.startsWith("-");
    return (int) number(negative ? value.substring(1) : value, 0, Integer.MAX_VALUE);
  }

  private static long number(String value, long min, long max) throws MalformedUapiException {
    if (!value.matches("[0-9]{1,19}")) {
      throw new MalformedUapiException("not a decimal number: " + abbreviate(value));
    }
    long n;
    try {
      n = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new MalformedUapiException("number out of range: " + value);
    }
    if (n < min || n > max) {
      throw new MalformedUapiException("number " + n + " outside " + min + ".." + max);
    }
    return n;
  }

  private static long unsigned32(String value) throws MalformedUapiException {
    return number(value, 0, 0xffffffffL);
  }

  private static long unsigned64(String value) throws MalformedUapiException {
    if (!value.matches("[0-9]{1,20}")) {
      throw new MalformedUapiException("not a decimal number: " + abbreviate(value));
    }
    try {
      return Long.parseUnsignedLong(value);
    } catch (NumberFormatException e) {
      throw new MalformedUapiException("counter out of range: " + value);
    }
  }

  /**
   * An IPv6 scope ({@code [fe80::1%2]:51820}) is dropped: {@link Endpoint} has no scope id, and
   * link-local peers are outside what the SDK connects.
   */
  private static Endpoint endpoint(String value) throws MalformedUapiException {
    String unscoped = value.replaceFirst("^(\\[[0-9A-Fa-f:.]+)%[A-Za-z0-9_.-]{1,16}\\]", "$1]");
    try {
      return Endpoint.parse(unscoped);
    } catch (IllegalArgumentException e) {
      throw new MalformedUapiException("bad endpoint: " + e.getMessage());
    }
  }

  private static IpPrefix prefix(String value) throws MalformedUapiException {
    if (value.indexOf('/') < 0) {
      throw new MalformedUapiException("allowed_ip needs a /prefix: " + abbreviate(value));
    }
    try {
      return IpPrefix.parse(value);
    } catch (IllegalArgumentException e) {
      throw new MalformedUapiException("bad allowed_ip: " + e.getMessage());
    }
  }
}
