package io.partynet.wireguard.jna.internal.netlink;

import io.partynet.IpPrefix;
import io.partynet.wireguard.jna.internal.device.DeviceState;
import io.partynet.wireguard.jna.internal.device.PeerState;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A test model of the kernel's side of WG_CMD_GET_DEVICE (net/wireguard/netlink.c): device
 * attributes in the first part only, peers and allowed IPs split over parts of at most
 * {@code limit} bytes, a split peer repeated with only its public key and the rest of its allowed
 * IPs. Feeds the decoder's round-trip property. Not thread-safe.
 */
final class KernelDumpWriter {
  private KernelDumpWriter() {}

  static List<NetlinkMessage> write(int familyId, DeviceState state, int limit) throws MalformedNetlinkException {
    List<NetlinkMessage> parts = new ArrayList<>();
    int peer = 0;
    int ip = 0;
    boolean first = true;
    do {
      NetlinkWriter w = new NetlinkWriter(familyId, NlMsgHdr.NLM_F_MULTI, limit);
      w.struct(new GenlMsgHdr(WgMessages.WG_CMD_GET_DEVICE, WgMessages.VERSION));
      if (first) {
        w.u16(WgMessages.WGDEVICE_A_LISTEN_PORT, state.listenPort());
        w.u32(WgMessages.WGDEVICE_A_FWMARK, state.fwmark());
        w.u32(WgMessages.WGDEVICE_A_IFINDEX, state.interfaceIndex());
        state.interfaceName().ifPresent(n -> w.string(WgMessages.WGDEVICE_A_IFNAME, n));
        state.privateKey().ifPresent(k -> w.attribute(WgMessages.WGDEVICE_A_PRIVATE_KEY, k.toBytes()));
        state.publicKey().ifPresent(k -> w.attribute(WgMessages.WGDEVICE_A_PUBLIC_KEY, k.toBytes()));
      }
      if (peer < state.peers().size()) {
        int peers = w.nestStart(WgMessages.WGDEVICE_A_PEERS);
        while (peer < state.peers().size()) {
          PeerState p = state.peers().get(peer);
          int nest = w.tryNestStart(0);
          if (nest < 0 || !w.tryAttribute(WgMessages.WGPEER_A_PUBLIC_KEY, p.publicKey().toBytes())
              || (ip == 0 && !peerFields(w, p))) {
            if (nest >= 0) {
              w.nestCancel(nest);
            }
            break;
          }
          int ips = w.tryNestStart(WgMessages.WGPEER_A_ALLOWEDIPS);
          while (ips >= 0 && ip < p.allowedIps().size() && allowedIp(w, p.allowedIps().get(ip))) {
            ip++;
          }
          if (ips >= 0) {
            w.nestEnd(ips);
          }
          w.nestEnd(nest);
          if (ip < p.allowedIps().size()) {
            break;
          }
          peer++;
          ip = 0;
        }
        w.nestEnd(peers);
      }
      parts.add(NetlinkMessage.parseAll(Structs.wrap(w.finish())).get(0));
      first = false;
    } while (peer < state.peers().size());
    return parts;
  }

  private static boolean peerFields(NetlinkWriter w, PeerState p) {
    ByteBuffer handshake = Structs.allocate(16);
    p.lastHandshake().ifPresent(t -> handshake.putLong(t.getEpochSecond()).putLong(t.getNano()));
    boolean ok = w.tryAttribute(WgMessages.WGPEER_A_PRESHARED_KEY,
            p.presharedKey().map(k -> k.toBytes()).orElse(new byte[32]))
        && w.tryAttribute(WgMessages.WGPEER_A_LAST_HANDSHAKE_TIME, handshake.array())
        && w.tryAttribute(WgMessages.WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL,
            Structs.allocate(2).putShort((short) p.persistentKeepaliveSeconds()).array())
        && w.tryAttribute(WgMessages.WGPEER_A_TX_BYTES, Structs.allocate(8).putLong(p.txBytes()).array())
        && w.tryAttribute(WgMessages.WGPEER_A_RX_BYTES, Structs.allocate(8).putLong(p.rxBytes()).array())
        && w.tryU32(WgMessages.WGPEER_A_PROTOCOL_VERSION, p.protocolVersion());
    return ok && (p.endpoint().isEmpty() || w.tryAttribute(WgMessages.WGPEER_A_ENDPOINT, WgMessages.sockaddr(p.endpoint().get())));
  }

  private static boolean allowedIp(NetlinkWriter w, IpPrefix prefix) {
    int nest = w.tryNestStart(0);
    boolean ok = nest >= 0
        && w.tryAttribute(WgMessages.WGALLOWEDIP_A_CIDR_MASK, new byte[] {(byte) prefix.prefixLength()})
        && w.tryAttribute(WgMessages.WGALLOWEDIP_A_IPADDR, prefix.addressBytes())
        && w.tryAttribute(WgMessages.WGALLOWEDIP_A_FAMILY,
            Structs.allocate(2).putShort((short) (prefix.isIpv4() ? 2 : 10)).array());
    if (ok) {
      w.nestEnd(nest);
    } else if (nest >= 0) {
      w.nestCancel(nest);
    }
    return ok;
  }
}
