package io.partynet.wireguard.jna.internal.qemu;

import io.partynet.Endpoint;
import io.partynet.IpPrefix;
import io.partynet.Key;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;

/**
 * The configurations the guest applies, as {@link WgDump}s. The large one needs several netlink
 * messages to send (the backend bounds one WG_CMD_SET_DEVICE message at 8 KiB, as wireguard-tools
 * bounds its own; this one is about 73 KB of attributes, 9 messages) and to read back (the kernel fills one
 * dump message at a time):
 * {@value #MANY_PEERS} peers with {@value #ALLOWED_IPS_PER_PEER} allowed IPs each, keys,
 * endpoints of both families and keepalives, plus one peer with {@value #WIDE_PEER_ALLOWED_IPS}
 * allowed IPs, so that a single peer's allowed IPs must be split too. Allowed IPs are networks
 * (host bits clear, as the kernel stores them) and never overlap, so the kernel keeps all of them
 * where they were given. Thread-safe.
 */
final class DesiredConfigs {
  static final int MANY_PEERS = 240;
  static final int ALLOWED_IPS_PER_PEER = 4;
  static final int WIDE_PEER_ALLOWED_IPS = 600;
  static final int LISTEN_PORT = 51820;
  static final int FWMARK = 0x2a51;

  /** What the guest changes through the SPI after the large set: see {@link #edited}. */
  static final int REMOVED_PEER = 0;
  static final int UPDATED_PEER = 2;
  static final Endpoint UPDATED_ENDPOINT = new Endpoint("2001:db8:3::7", 7777);
  static final List<IpPrefix> UPDATED_ALLOWED_IPS = List.of(IpPrefix.parse("10.251.0.0/16"));
  static final int UPDATED_KEEPALIVE = 9;

  private DesiredConfigs() {}

  static WgDump large(KeyPairs.Pair device, long seed) {
    Random random = new Random(seed);
    List<WgDump.Peer> peers = new ArrayList<>();
    for (int i = 0; i < MANY_PEERS; i++) {
      List<IpPrefix> allowed = List.of(
          IpPrefix.parse(String.format("10.%d.%d.0/24", 100 + i / 256, i % 256)),
          IpPrefix.parse(String.format("10.200.%d.%d/32", i / 256, i % 256)),
          IpPrefix.parse(String.format("fd00:0:0:%x::/64", i)),
          IpPrefix.parse(String.format("2001:db8:1::%x/128", i)));
      Optional<Endpoint> endpoint = switch (i % 3) {
        case 0 -> Optional.of(new Endpoint(String.format("203.0.113.%d", 1 + i % 250), 10_000 + i));
        case 1 -> Optional.of(new Endpoint(String.format("2001:db8:2::%x", i + 1), 20_000 + i));
        default -> Optional.empty();
      };
      peers.add(new WgDump.Peer(KeyPairs.random(random),
          i % 2 == 0 ? Optional.of(KeyPairs.random(random)) : Optional.empty(), endpoint, allowed, 0, 0, 0,
          i % 4 == 0 ? OptionalInt.of(1 + i % 60) : OptionalInt.empty()));
    }
    List<IpPrefix> wide = new ArrayList<>();
    for (int i = 0; i < WIDE_PEER_ALLOWED_IPS; i++) {
      wide.add(IpPrefix.parse(String.format("10.250.%d.%d/32", i / 256, i % 256)));
    }
    peers.add(new WgDump.Peer(KeyPairs.random(random), Optional.empty(),
        Optional.of(new Endpoint("198.51.100.200", 51820)), wide, 0, 0, 0, OptionalInt.of(25)));
    return new WgDump(Optional.of(device.privateKey()), Optional.of(device.publicKey()), LISTEN_PORT, FWMARK,
        peers);
  }

  /**
   * The large configuration after GuestMain's edits through the SPI: peer {@link #REMOVED_PEER}
   * removed, peer {@link #UPDATED_PEER} (one with a preshared key, no endpoint, no keepalive)
   * updated with {@link #UPDATED_ENDPOINT}, {@link #UPDATED_ALLOWED_IPS} replacing its own and
   * {@link #UPDATED_KEEPALIVE} while its preshared key stays; and an update of an unknown peer,
   * which must not add it.
   */
  static WgDump edited(WgDump large) {
    List<WgDump.Peer> peers = new ArrayList<>(large.peers());
    WgDump.Peer updated = peers.get(UPDATED_PEER);
    peers.set(UPDATED_PEER, new WgDump.Peer(updated.publicKey(), updated.presharedKey(), Optional.of(UPDATED_ENDPOINT),
        UPDATED_ALLOWED_IPS, 0, 0, 0, OptionalInt.of(UPDATED_KEEPALIVE)));
    peers.remove(REMOVED_PEER);
    return new WgDump(large.privateKey(), large.publicKey(), large.listenPort(), large.fwmark(), peers);
  }

  /** One side of the tunnel: its own key and port, the other side as the only peer. */
  static WgDump tunnelSide(KeyPairs.Pair self, int listenPort, Key other, Endpoint otherEndpoint,
      IpPrefix otherAddress) {
    WgDump.Peer peer = new WgDump.Peer(other, Optional.empty(), Optional.of(otherEndpoint), List.of(otherAddress),
        0, 0, 0, OptionalInt.empty());
    return new WgDump(Optional.of(self.privateKey()), Optional.of(self.publicKey()), listenPort, 0, List.of(peer));
  }
}
