package io.partynet.wireguard.jna.internal.lab;

import io.partynet.Endpoint;
import io.partynet.IpPrefix;
import io.partynet.Key;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The output of {@code wg show IFNAME dump}, parsed: the reference client's view of a device.
 * First line: private key, public key, listen port, fwmark; then one tab-separated line per peer:
 * public key, preshared key, endpoint, allowed IPs, latest handshake (epoch seconds), rx, tx,
 * persistent keepalive. Immutable and thread-safe.
 */
public record WgDump(Optional<Key> privateKey, Optional<Key> publicKey, int listenPort, long fwmark, List<Peer> peers) {

  /** One peer line. Immutable and thread-safe. */
  public record Peer(Key publicKey, Optional<Key> presharedKey, Optional<Endpoint> endpoint, List<IpPrefix> allowedIps,
      long latestHandshakeSeconds, long rxBytes, long txBytes, int persistentKeepalive) {}

  public static WgDump parse(String dump) {
    String[] lines = dump.strip().split("\n");
    String[] device = lines[0].split("\t");
    List<Peer> peers = new ArrayList<>();
    for (String line : Arrays.asList(lines).subList(1, lines.length)) {
      String[] f = line.split("\t");
      List<IpPrefix> ips = f[3].equals("(none)") ? List.of()
          : Arrays.stream(f[3].split(",")).map(IpPrefix::parse).toList();
      peers.add(new Peer(Key.fromBase64(f[0]), key(f[1]),
          f[2].equals("(none)") ? Optional.empty() : Optional.of(Endpoint.parse(f[2])), ips,
          Long.parseLong(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6]),
          f[7].equals("off") ? 0 : Integer.parseInt(f[7])));
    }
    return new WgDump(key(device[0]), key(device[1]), Integer.parseInt(device[2]),
        device[3].equals("off") ? 0 : Long.decode(device[3]), peers);
  }

  private static Optional<Key> key(String text) {
    return text.equals("(none)") ? Optional.empty() : Optional.of(Key.fromBase64(text));
  }
}
