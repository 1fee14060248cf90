package io.partynet.wireguard.jna.internal.qemu;

import io.partynet.Endpoint;
import io.partynet.IpPrefix;
import io.partynet.Key;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.StringJoiner;

/**
 * One interface in the format of {@code wg show IFACE dump}: a tab-separated interface line
 * ({@code private-key public-key listen-port fwmark}) and one line per peer ({@code public-key
 * preshared-key endpoint allowed-ips latest-handshake rx-bytes tx-bytes persistent-keepalive}),
 * "(none)" and "off" for absent values, as wireguard-tools' {@code dump_print} writes them.
 * The guest writes what the backend read back in this format, {@code wg} writes its own, and
 * the test compares the parsed values; the desired configuration travels in it too.
 *
 * <p>Peers and allowed IPs keep their order: both readers see the kernel's order.
 * Immutable and thread-safe.
 */
record WgDump(Optional<Key> privateKey, Optional<Key> publicKey, int listenPort, int fwmark, List<Peer> peers) {

  private static final String NONE = "(none)";
  private static final String OFF = "off";

  WgDump {
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(publicKey, "publicKey");
    peers = List.copyOf(peers);
  }

  /** One peer line. {@code latestHandshakeSeconds} is 0 when there was none. */
  record Peer(Key publicKey, Optional<Key> presharedKey, Optional<Endpoint> endpoint, List<IpPrefix> allowedIps,
      long latestHandshakeSeconds, long rxBytes, long txBytes, OptionalInt persistentKeepalive) {
    Peer {
      Objects.requireNonNull(publicKey, "publicKey");
      Objects.requireNonNull(presharedKey, "presharedKey");
      Objects.requireNonNull(endpoint, "endpoint");
      allowedIps = List.copyOf(allowedIps);
      Objects.requireNonNull(persistentKeepalive, "persistentKeepalive");
    }

    /** The configured part only: handshake time and counters cleared. */
    Peer configuration() {
      return new Peer(publicKey, presharedKey, endpoint, allowedIps, 0, 0, 0, persistentKeepalive);
    }

    @Override
    public String toString() {
      return format();
    }

    String format() {
      StringJoiner allowed = new StringJoiner(",");
      allowedIps.forEach(prefix -> allowed.add(prefix.toString()));
      return String.join("\t", publicKey.toBase64(), formatKey(presharedKey),
          endpoint.map(Endpoint::toString).orElse(NONE), allowedIps.isEmpty() ? NONE : allowed.toString(),
          Long.toString(latestHandshakeSeconds), Long.toString(rxBytes), Long.toString(txBytes),
          persistentKeepalive.isPresent() ? Integer.toString(persistentKeepalive.getAsInt()) : OFF);
    }
  }

  /** Everything but handshake times and counters, for comparing with a desired configuration. */
  WgDump configuration() {
    return new WgDump(privateKey, publicKey, listenPort, fwmark, peers.stream().map(Peer::configuration).toList());
  }

  String format() {
    StringBuilder text = new StringBuilder();
    text.append(String.join("\t", formatKey(privateKey), formatKey(publicKey), Integer.toString(listenPort),
        fwmark == 0 ? OFF : "0x" + Integer.toHexString(fwmark))).append('\n');
    peers.forEach(peer -> text.append(peer.format()).append('\n'));
    return text.toString();
  }

  /**
   * Parses the output of {@code wg show IFACE dump}.
   *
   * @throws IllegalArgumentException naming the bad line, for anything else
   */
  static WgDump parse(String text) {
    List<String> lines = text.lines().filter(line -> !line.isBlank()).toList();
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("empty dump: expected an interface line");
    }
    String line = lines.get(0);
    try {
      String[] device = fields(line, 4);
      WgDump.Peer[] peers = new WgDump.Peer[lines.size() - 1];
      for (int i = 1; i < lines.size(); i++) {
        line = lines.get(i);
        peers[i - 1] = parsePeer(fields(line, 8));
      }
      return new WgDump(parseKey(device[0]), parseKey(device[1]), parseU16(device[2]), parseFwmark(device[3]),
          List.of(peers));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a wg show dump line: " + line, e);
    }
  }

  private static int parseU16(String text) {
    int port = Integer.parseInt(text);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("not in 0..65535: " + text);
    }
    return port;
  }

  private static int parseFwmark(String text) {
    if (text.equals(OFF)) {
      return 0;
    }
    if (!text.startsWith("0x")) {
      throw new IllegalArgumentException("fwmark must be off or 0x...: " + text);
    }
    return Integer.parseUnsignedInt(text.substring(2), 16);
  }

  private static Peer parsePeer(String[] f) {
    List<IpPrefix> allowed = new ArrayList<>();
    if (!f[3].equals(NONE)) {
      for (String prefix : f[3].split(",", -1)) {
        allowed.add(IpPrefix.parse(prefix));
      }
    }
    return new Peer(Key.fromBase64(f[0]), parseKey(f[1]),
        f[2].equals(NONE) ? Optional.empty() : Optional.of(Endpoint.parse(f[2])), allowed,
        Long.parseLong(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6]),
        f[7].equals(OFF) ? OptionalInt.empty() : OptionalInt.of(parseU16(f[7])));
  }

  private static String[] fields(String line, int count) {
    String[] fields = line.split("\t", -1);
    if (fields.length != count) {
      throw new IllegalArgumentException("expected " + count + " tab-separated fields, got " + fields.length);
    }
    return fields;
  }

  private static Optional<Key> parseKey(String text) {
    return text.equals(NONE) ? Optional.empty() : Optional.of(Key.fromBase64(text));
  }

  private static String formatKey(Optional<Key> key) {
    return key.map(Key::toBase64).orElse(NONE);
  }
}
