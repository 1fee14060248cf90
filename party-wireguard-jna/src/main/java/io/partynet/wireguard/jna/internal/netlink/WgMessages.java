package io.partynet.wireguard.jna.internal.netlink;

import io.partynet.Endpoint;
import io.partynet.IpPrefix;
import io.partynet.Key;
import io.partynet.wireguard.jna.internal.device.DeviceConfig;
import io.partynet.wireguard.jna.internal.device.PeerSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Pure codec of the WireGuard generic netlink family (include/uapi/linux/wireguard.h, version 1).
 * WG_CMD_SET_DEVICE requests are split over several messages when they exceed the message limit,
 * the way wireguard-tools' embeddable library does it: device attributes go in the first message
 * only; a later message repeats the interface name and continues with the next peer, or with the
 * same peer (public key only, no flags) and its remaining allowed IPs. {@link WgDeviceDump} decodes
 * the WG_CMD_GET_DEVICE dumps the kernel answers with.
 *
 * <p>Stateless and thread-safe.
 */
final class WgMessages {
  static final String FAMILY = "wireguard";
  static final int VERSION = 1;
  static final int WG_CMD_GET_DEVICE = 0;
  static final int WG_CMD_SET_DEVICE = 1;

  static final int WGDEVICE_A_IFINDEX = 1;
  static final int WGDEVICE_A_IFNAME = 2;
  static final int WGDEVICE_A_PRIVATE_KEY = 3;
  static final int WGDEVICE_A_PUBLIC_KEY = 4;
  static final int WGDEVICE_A_FLAGS = 5;
  static final int WGDEVICE_A_LISTEN_PORT = 6;
  static final int WGDEVICE_A_FWMARK = 7;
  static final int WGDEVICE_A_PEERS = 8;
  static final int WGDEVICE_F_REPLACE_PEERS = 1;

  static final int WGPEER_A_PUBLIC_KEY = 1;
  static final int WGPEER_A_PRESHARED_KEY = 2;
  static final int WGPEER_A_FLAGS = 3;
  static final int WGPEER_A_ENDPOINT = 4;
  static final int WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL = 5;
  static final int WGPEER_A_LAST_HANDSHAKE_TIME = 6;
  static final int WGPEER_A_RX_BYTES = 7;
  static final int WGPEER_A_TX_BYTES = 8;
  static final int WGPEER_A_ALLOWEDIPS = 9;
  static final int WGPEER_A_PROTOCOL_VERSION = 10;
  static final int WGPEER_F_REMOVE_ME = 1;
  static final int WGPEER_F_REPLACE_ALLOWEDIPS = 2;
  static final int WGPEER_F_UPDATE_ONLY = 4;

  static final int WGALLOWEDIP_A_FAMILY = 1;
  static final int WGALLOWEDIP_A_IPADDR = 2;
  static final int WGALLOWEDIP_A_CIDR_MASK = 3;

  /** wireguard-tools sizes messages like libmnl's MNL_SOCKET_BUFFER_SIZE on 4 KiB-page machines. */
  static final int DEFAULT_MESSAGE_LIMIT = 8192;

  private static final int SOCKADDR_IN_SIZE = 16;
  private static final int SOCKADDR_IN6_SIZE = 28;

  private WgMessages() {}

  static byte[] getDevice(int familyId, String interfaceName) {
    NetlinkWriter w = new NetlinkWriter(familyId, NlMsgHdr.NLM_F_REQUEST | NlMsgHdr.NLM_F_ACK | NlMsgHdr.NLM_F_DUMP, 256);
    w.struct(new GenlMsgHdr(WG_CMD_GET_DEVICE, VERSION));
    w.string(WGDEVICE_A_IFNAME, interfaceName);
    return w.finish();
  }

  /** One or more WG_CMD_SET_DEVICE messages, each at most {@code limit} bytes, to send in order. */
  static List<byte[]> setDevice(int familyId, String interfaceName, DeviceConfig config, int limit) {
    List<byte[]> messages = new ArrayList<>();
    List<PeerSettings> peers = config.peers();
    int peer = 0;
    int allowedIp = 0;
    boolean peerStarted = false;
    boolean first = true;
    do {
      NetlinkWriter w = new NetlinkWriter(familyId, NlMsgHdr.NLM_F_REQUEST | NlMsgHdr.NLM_F_ACK, limit);
      w.struct(new GenlMsgHdr(WG_CMD_SET_DEVICE, VERSION));
      w.string(WGDEVICE_A_IFNAME, interfaceName);
      if (first) {
        config.privateKey().ifPresent(k -> w.attribute(WGDEVICE_A_PRIVATE_KEY, k.toBytes()));
        config.listenPort().ifPresent(p -> w.u16(WGDEVICE_A_LISTEN_PORT, p));
        config.fwmark().ifPresent(m -> w.u32(WGDEVICE_A_FWMARK, m));
        if (config.replacePeers()) {
          w.u32(WGDEVICE_A_FLAGS, WGDEVICE_F_REPLACE_PEERS);
        }
      }
      int progressBefore = progress(peer, allowedIp, peerStarted);
      if (peer < peers.size()) {
        int peersNest = w.tryNestStart(WGDEVICE_A_PEERS);
        boolean full = peersNest < 0;
        while (!full && peer < peers.size()) {
          PeerSettings p = peers.get(peer);
          int peerNest = w.tryNestStart(0);
          if (peerNest < 0 || !w.tryAttribute(WGPEER_A_PUBLIC_KEY, p.publicKey().toBytes())
              || !peerFields(w, p, peerStarted)) {
            if (peerNest >= 0) {
              w.nestCancel(peerNest);
            }
            break;
          }
          peerStarted = true;
          List<IpPrefix> ips = p.allowedIps();
          if (allowedIp < ips.size()) {
            int ipsNest = w.tryNestStart(WGPEER_A_ALLOWEDIPS);
            int written = 0;
            while (ipsNest >= 0 && allowedIp < ips.size() && tryAllowedIp(w, ips.get(allowedIp))) {
              allowedIp++;
              written++;
            }
            full = allowedIp < ips.size();
            if (ipsNest >= 0 && written == 0) {
              w.nestCancel(ipsNest);
            } else if (ipsNest >= 0) {
              w.nestEnd(ipsNest);
            }
          }
          w.nestEnd(peerNest);
          if (!full) {
            peer++;
            allowedIp = 0;
            peerStarted = false;
          }
        }
        if (peersNest >= 0) {
          w.nestEnd(peersNest);
        }
        if (!first && progress(peer, allowedIp, peerStarted) == progressBefore) {
          throw new IllegalArgumentException("one peer setting does not fit a " + limit + "-byte netlink message");
        }
      }
      messages.add(w.finish());
      first = false;
    } while (peer < peers.size());
    return messages;
  }

  private static int progress(int peer, int allowedIp, boolean started) {
    return (peer * 65536 + allowedIp) * 2 + (started ? 1 : 0);
  }

  private static boolean peerFields(NetlinkWriter w, PeerSettings p, boolean continuation) {
    int flags = (p.remove() ? WGPEER_F_REMOVE_ME : 0) | (p.updateOnly() ? WGPEER_F_UPDATE_ONLY : 0);
    if (continuation) {
      return flags == 0 || w.tryU32(WGPEER_A_FLAGS, flags);
    }
    flags |= p.replaceAllowedIps() ? WGPEER_F_REPLACE_ALLOWEDIPS : 0;
    if (flags != 0 && !w.tryU32(WGPEER_A_FLAGS, flags)) {
      return false;
    }
    if (p.presharedKey().isPresent() && !w.tryAttribute(WGPEER_A_PRESHARED_KEY, p.presharedKey().get().toBytes())) {
      return false;
    }
    if (p.endpoint().isPresent() && !w.tryAttribute(WGPEER_A_ENDPOINT, sockaddr(p.endpoint().get()))) {
      return false;
    }
    return p.persistentKeepaliveSeconds().isEmpty()
        || w.tryAttribute(WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL,
            Structs.allocate(2).putShort((short) p.persistentKeepaliveSeconds().getAsInt()).array());
  }

  private static boolean tryAllowedIp(NetlinkWriter w, IpPrefix ip) {
    int nest = w.tryNestStart(0);
    boolean ok = nest >= 0
        && w.tryAttribute(WGALLOWEDIP_A_FAMILY,
            Structs.allocate(2).putShort((short) (ip.isIpv4() ? RtMessages.AF_INET : RtMessages.AF_INET6)).array())
        && w.tryAttribute(WGALLOWEDIP_A_IPADDR, ip.addressBytes())
        && w.tryAttribute(WGALLOWEDIP_A_CIDR_MASK, new byte[] {(byte) ip.prefixLength()});
    if (ok) {
      w.nestEnd(nest);
    } else if (nest >= 0) {
      w.nestCancel(nest);
    }
    return ok;
  }

  /** {@code struct sockaddr_in} / {@code sockaddr_in6}: family in host order, port and flow info in network order. */
  static byte[] sockaddr(Endpoint endpoint) {
    byte[] address = endpoint.toSocketAddress().getAddress().getAddress();
    ByteBuffer b = Structs.allocate(address.length == 4 ? SOCKADDR_IN_SIZE : SOCKADDR_IN6_SIZE);
    b.putShort((short) (address.length == 4 ? RtMessages.AF_INET : RtMessages.AF_INET6));
    b.order(ByteOrder.BIG_ENDIAN).putShort((short) endpoint.port());
    if (address.length == 4) {
      b.put(address);
    } else {
      b.putInt(0).put(address);
    }
    return b.array();
  }

  static Endpoint parseSockaddr(byte[] bytes) throws MalformedNetlinkException {
    if (bytes.length < 4) {
      throw new MalformedNetlinkException("endpoint sockaddr of " + bytes.length + " bytes");
    }
    ByteBuffer b = Structs.wrap(bytes);
    int family = Short.toUnsignedInt(b.getShort());
    int port = Short.toUnsignedInt(b.order(ByteOrder.BIG_ENDIAN).getShort());
    byte[] address;
    if (family == RtMessages.AF_INET && bytes.length >= SOCKADDR_IN_SIZE) {
      address = new byte[4];
      b.get(address);
    } else if (family == RtMessages.AF_INET6 && bytes.length >= SOCKADDR_IN6_SIZE) {
      b.getInt();
      address = new byte[16];
      b.get(address);
    } else {
      throw new MalformedNetlinkException("endpoint of family " + family + " in " + bytes.length + " bytes");
    }
    try {
      return new Endpoint(InetAddress.getByAddress(address).getHostAddress(), port);
    } catch (UnknownHostException | IllegalArgumentException e) {
      throw new MalformedNetlinkException("bad endpoint: " + e.getMessage());
    }
  }

  /**
   * Decodes WG_CMD_SET_DEVICE messages back into the configuration they carry, joining a peer
   * continued in the next message; the inverse of {@link #setDevice}, as the kernel reads them.
   */
  static DeviceConfig parseSetDevice(List<NetlinkMessage> messages) throws MalformedNetlinkException {
    DeviceConfig.Builder device = DeviceConfig.builder();
    List<PeerSettings.Builder> peers = new ArrayList<>();
    List<Key> keys = new ArrayList<>();
    try {
      for (NetlinkMessage message : messages) {
        ByteBuffer payload = message.payloadBuffer();
        GenlMsgHdr genl = GenlMsgHdr.parse(payload);
        if (genl.command() != WG_CMD_SET_DEVICE) {
          throw new MalformedNetlinkException("expected WG_CMD_SET_DEVICE, got command " + genl.command());
        }
        boolean firstPeerOfMessage = true;
        for (Attribute a : Attribute.parseAll(payload)) {
          switch (a.number()) {
            case WGDEVICE_A_PRIVATE_KEY -> device.privateKey(key(a));
            case WGDEVICE_A_LISTEN_PORT -> device.listenPort(a.u16());
            case WGDEVICE_A_FWMARK -> device.fwmark(a.u32());
            case WGDEVICE_A_FLAGS -> device.replacePeers((a.u32() & WGDEVICE_F_REPLACE_PEERS) != 0);
            case WGDEVICE_A_PEERS -> {
              for (Attribute peer : a.nested()) {
                List<Attribute> fields = peer.nested();
                Key publicKey = key(Attribute.first(fields, WGPEER_A_PUBLIC_KEY)
                    .orElseThrow(() -> new MalformedNetlinkException("peer without WGPEER_A_PUBLIC_KEY")));
                boolean continued = firstPeerOfMessage && !keys.isEmpty() && keys.get(keys.size() - 1).equals(publicKey);
                firstPeerOfMessage = false;
                PeerSettings.Builder b = continued ? peers.get(peers.size() - 1) : PeerSettings.builder(publicKey);
                if (!continued) {
                  peers.add(b);
                  keys.add(publicKey);
                }
                readPeerSettings(fields, b);
              }
            }
            default -> { }
          }
        }
      }
      List<PeerSettings> built = new ArrayList<>();
      for (PeerSettings.Builder b : peers) {
        built.add(b.build());
      }
      return device.peers(built).build();
    } catch (RuntimeException e) {
      throw new MalformedNetlinkException("set request does not describe a valid configuration: " + e.getMessage());
    }
  }

  private static void readPeerSettings(List<Attribute> fields, PeerSettings.Builder b) throws MalformedNetlinkException {
    for (Attribute f : fields) {
      switch (f.number()) {
        case WGPEER_A_FLAGS -> {
          int flags = f.u32();
          if ((flags & WGPEER_F_REMOVE_ME) != 0) {
            b.remove(true);
          }
          if ((flags & WGPEER_F_UPDATE_ONLY) != 0) {
            b.updateOnly(true);
          }
          if ((flags & WGPEER_F_REPLACE_ALLOWEDIPS) != 0) {
            b.replaceAllowedIps(true);
          }
        }
        case WGPEER_A_PRESHARED_KEY -> b.presharedKey(key(f));
        case WGPEER_A_ENDPOINT -> b.endpoint(parseSockaddr(f.bytes()));
        case WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL -> b.persistentKeepaliveSeconds(f.u16());
        case WGPEER_A_ALLOWEDIPS -> {
          for (Attribute ip : f.nested()) {
            b.allowedIp(allowedIp(ip.nested()));
          }
        }
        default -> { }
      }
    }
  }

  static Key key(Attribute a) throws MalformedNetlinkException {
    if (a.length() != Key.LENGTH) {
      throw new MalformedNetlinkException("a key attribute holds 32 bytes, not " + a.length());
    }
    return Key.fromBytes(a.bytes());
  }

  static IpPrefix allowedIp(List<Attribute> attributes) throws MalformedNetlinkException {
    Attribute family = Attribute.first(attributes, WGALLOWEDIP_A_FAMILY)
        .orElseThrow(() -> new MalformedNetlinkException("allowed IP without family"));
    Attribute address = Attribute.first(attributes, WGALLOWEDIP_A_IPADDR)
        .orElseThrow(() -> new MalformedNetlinkException("allowed IP without address"));
    Attribute cidr = Attribute.first(attributes, WGALLOWEDIP_A_CIDR_MASK)
        .orElseThrow(() -> new MalformedNetlinkException("allowed IP without CIDR mask"));
    int expected = family.u16() == RtMessages.AF_INET ? 4 : family.u16() == RtMessages.AF_INET6 ? 16 : -1;
    if (address.length() != expected) {
      throw new MalformedNetlinkException("allowed IP of family " + family.u16() + " with " + address.length() + " bytes");
    }
    return RtMessages.prefix(address.bytes(), cidr.u8());
  }
}
