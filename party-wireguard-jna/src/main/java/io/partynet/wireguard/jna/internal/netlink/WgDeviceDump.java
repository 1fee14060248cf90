package io.partynet.wireguard.jna.internal.netlink;

import io.partynet.Endpoint;
import io.partynet.IpPrefix;
import io.partynet.Key;
import io.partynet.wireguard.jna.internal.device.DeviceState;
import io.partynet.wireguard.jna.internal.device.PeerState;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decoder of the kernel's WG_CMD_GET_DEVICE dumps (include/uapi/linux/wireguard.h, version 1): a
 * device too large for one message comes in several parts, and a peer whose allowed IPs did not
 * fit is continued in the next part under the same public key; adjacent parts of the same peer are
 * coalesced, as the header documents. The attribute numbers and the field codecs shared with the
 * set requests are {@link WgMessages}'.
 *
 * <p>Stateless and thread-safe.
 */
final class WgDeviceDump {
  private static final int TIMESPEC_SIZE = 16;

  private WgDeviceDump() {}

  /** Decodes the parts of a WG_CMD_GET_DEVICE dump into one device. */
  static DeviceState parse(List<NetlinkMessage> parts) throws MalformedNetlinkException {
    DeviceBuilder device = new DeviceBuilder();
    for (NetlinkMessage part : parts) {
      ByteBuffer payload = part.payloadBuffer();
      GenlMsgHdr genl = GenlMsgHdr.parse(payload);
      if (genl.command() != WgMessages.WG_CMD_GET_DEVICE) {
        throw new MalformedNetlinkException("expected WG_CMD_GET_DEVICE, got command " + genl.command());
      }
      for (Attribute a : Attribute.parseAll(payload)) {
        device.accept(a);
      }
    }
    return device.build();
  }

  /** Accumulates a device from dump parts. Not thread-safe. */
  private static final class DeviceBuilder {
    private String name;
    private int index;
    private Key privateKey;
    private Key publicKey;
    private int listenPort;
    private int fwmark;
    private final List<PeerBuilder> peers = new ArrayList<>();

    void accept(Attribute a) throws MalformedNetlinkException {
      switch (a.number()) {
        case WgMessages.WGDEVICE_A_IFINDEX -> index = a.u32();
        case WgMessages.WGDEVICE_A_IFNAME -> name = a.string();
        case WgMessages.WGDEVICE_A_PRIVATE_KEY -> privateKey = WgMessages.key(a);
        case WgMessages.WGDEVICE_A_PUBLIC_KEY -> publicKey = WgMessages.key(a);
        case WgMessages.WGDEVICE_A_LISTEN_PORT -> listenPort = a.u16();
        case WgMessages.WGDEVICE_A_FWMARK -> fwmark = a.u32();
        case WgMessages.WGDEVICE_A_PEERS -> {
          for (Attribute peer : a.nested()) {
            PeerBuilder parsed = PeerBuilder.parse(peer.nested());
            PeerBuilder last = peers.isEmpty() ? null : peers.get(peers.size() - 1);
            if (last != null && last.publicKey.equals(parsed.publicKey)) {
              last.allowedIps.addAll(parsed.allowedIps);
            } else {
              peers.add(parsed);
            }
          }
        }
        default -> { }
      }
    }

    DeviceState build() throws MalformedNetlinkException {
      List<PeerState> states = new ArrayList<>();
      for (PeerBuilder p : peers) {
        states.add(p.build());
      }
      try {
        return new DeviceState(Optional.ofNullable(name), index, Optional.ofNullable(privateKey),
            Optional.ofNullable(publicKey), listenPort, fwmark, states);
      } catch (IllegalArgumentException e) {
        throw new MalformedNetlinkException("device values out of range: " + e.getMessage());
      }
    }
  }

  /** Accumulates one peer. Not thread-safe. */
  private static final class PeerBuilder {
    private Key publicKey;
    private Key presharedKey;
    private Endpoint endpoint;
    private final List<IpPrefix> allowedIps = new ArrayList<>();
    private int keepalive;
    private Instant lastHandshake;
    private long rx;
    private long tx;
    private int protocolVersion;

    static PeerBuilder parse(List<Attribute> attributes) throws MalformedNetlinkException {
      PeerBuilder p = new PeerBuilder();
      for (Attribute a : attributes) {
        switch (a.number()) {
          case WgMessages.WGPEER_A_PUBLIC_KEY -> p.publicKey = WgMessages.key(a);
          case WgMessages.WGPEER_A_PRESHARED_KEY -> {
            Key k = WgMessages.key(a);
            p.presharedKey = k.isZero() ? null : k;
          }
          case WgMessages.WGPEER_A_ENDPOINT -> p.endpoint = WgMessages.parseSockaddr(a.bytes());
          case WgMessages.WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL -> p.keepalive = a.u16();
          case WgMessages.WGPEER_A_LAST_HANDSHAKE_TIME -> p.lastHandshake = timespec(a);
          case WgMessages.WGPEER_A_RX_BYTES -> p.rx = a.u64();
          case WgMessages.WGPEER_A_TX_BYTES -> p.tx = a.u64();
          case WgMessages.WGPEER_A_PROTOCOL_VERSION -> p.protocolVersion = a.u32();
          case WgMessages.WGPEER_A_ALLOWEDIPS -> {
            for (Attribute ip : a.nested()) {
              p.allowedIps.add(WgMessages.allowedIp(ip.nested()));
            }
          }
          default -> { }
        }
      }
      if (p.publicKey == null) {
        throw new MalformedNetlinkException("peer without WGPEER_A_PUBLIC_KEY");
      }
      return p;
    }

    PeerState build() {
      return new PeerState(publicKey, Optional.ofNullable(presharedKey), Optional.ofNullable(endpoint), allowedIps,
          keepalive, Optional.ofNullable(lastHandshake), rx, tx, protocolVersion);
    }
  }

  private static Instant timespec(Attribute a) throws MalformedNetlinkException {
    if (a.length() != TIMESPEC_SIZE) {
      throw new MalformedNetlinkException("__kernel_timespec holds 16 bytes, not " + a.length());
    }
    ByteBuffer b = a.buffer();
    long seconds = b.getLong();
    long nanos = b.getLong();
    if (seconds == 0 && nanos == 0) {
      return null;
    }
    if (nanos < 0 || nanos > 999_999_999 || seconds < 0 || seconds > Instant.MAX.getEpochSecond()) {
      throw new MalformedNetlinkException("bad handshake time " + seconds + "s " + nanos + "ns");
    }
    return Instant.ofEpochSecond(seconds, nanos);
  }
}
