package io.partynet.wireguard.jna.internal.netlink;

import io.partynet.IpPrefix;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * Pure encoders and decoders of the rtnetlink messages the backends use (linux/rtnetlink.h,
 * linux/if_link.h, linux/if_addr.h). No I/O; every request asks for an ack or an answer.
 *
 * <p>Stateless and thread-safe.
 */
final class RtMessages {
  static final int RTM_NEWLINK = 16;
  static final int RTM_DELLINK = 17;
  static final int RTM_GETLINK = 18;
  static final int RTM_NEWADDR = 20;
  static final int RTM_GETADDR = 22;
  static final int AF_UNSPEC = 0;
  static final int AF_INET = 2;
  static final int AF_INET6 = 10;
  static final int IFLA_IFNAME = 3;
  static final int IFLA_MTU = 4;
  static final int IFLA_LINKINFO = 18;
  static final int IFLA_IFALIAS = 20;
  static final int IFLA_INFO_KIND = 1;
  static final int IFA_ADDRESS = 1;
  static final int IFA_LOCAL = 2;
  private static final int LIMIT = 4096;

  private RtMessages() {}

  /** RTM_NEWLINK with NLM_F_CREATE|NLM_F_EXCL: a new link named {@code name} of {@code kind}. */
  static byte[] newLink(String name, String kind) {
    NetlinkWriter w = new NetlinkWriter(RTM_NEWLINK,
        NlMsgHdr.NLM_F_REQUEST | NlMsgHdr.NLM_F_ACK | NlMsgHdr.NLM_F_CREATE | NlMsgHdr.NLM_F_EXCL, LIMIT);
    w.struct(new IfInfoMsg(AF_UNSPEC, 0, 0, 0, 0));
    w.string(IFLA_IFNAME, name);
    int linkInfo = w.nestStart(IFLA_LINKINFO);
    w.string(IFLA_INFO_KIND, kind);
    w.nestEnd(linkInfo);
    return w.finish();
  }

  /** RTM_NEWLINK on an existing link that sets or clears IFF_UP only. */
  static byte[] setUp(int index, boolean up) {
    NetlinkWriter w = new NetlinkWriter(RTM_NEWLINK, NlMsgHdr.NLM_F_REQUEST | NlMsgHdr.NLM_F_ACK, LIMIT);
    w.struct(new IfInfoMsg(AF_UNSPEC, 0, index, up ? IfInfoMsg.IFF_UP : 0, IfInfoMsg.IFF_UP));
    return w.finish();
  }

  static byte[] setMtu(int index, int mtu) {
    NetlinkWriter w = new NetlinkWriter(RTM_NEWLINK, NlMsgHdr.NLM_F_REQUEST | NlMsgHdr.NLM_F_ACK, LIMIT);
    w.struct(new IfInfoMsg(AF_UNSPEC, 0, index, 0, 0));
    w.u32(IFLA_MTU, mtu);
    return w.finish();
  }

  /** RTM_NEWLINK on an existing link that sets its alias (IFLA_IFALIAS, at most 255 bytes). */
  static byte[] setAlias(int index, String alias) {
    NetlinkWriter w = new NetlinkWriter(RTM_NEWLINK, NlMsgHdr.NLM_F_REQUEST | NlMsgHdr.NLM_F_ACK, LIMIT);
    w.struct(new IfInfoMsg(AF_UNSPEC, 0, index, 0, 0));
    w.string(IFLA_IFALIAS, alias);
    return w.finish();
  }

  static byte[] deleteLink(int index) {
    NetlinkWriter w = new NetlinkWriter(RTM_DELLINK, NlMsgHdr.NLM_F_REQUEST | NlMsgHdr.NLM_F_ACK, LIMIT);
    w.struct(new IfInfoMsg(AF_UNSPEC, 0, index, 0, 0));
    return w.finish();
  }

  /** RTM_GETLINK for one link by name; the kernel answers with one RTM_NEWLINK or ENODEV. */
  static byte[] getLink(String name) {
    NetlinkWriter w = new NetlinkWriter(RTM_GETLINK, NlMsgHdr.NLM_F_REQUEST, LIMIT);
    w.struct(new IfInfoMsg(AF_UNSPEC, 0, 0, 0, 0));
    w.string(IFLA_IFNAME, name);
    return w.finish();
  }

  static byte[] dumpLinks() {
    NetlinkWriter w = new NetlinkWriter(RTM_GETLINK, NlMsgHdr.NLM_F_REQUEST | NlMsgHdr.NLM_F_DUMP, LIMIT);
    w.struct(new IfInfoMsg(AF_UNSPEC, 0, 0, 0, 0));
    return w.finish();
  }

  /**
   * RTM_NEWADDR with NLM_F_CREATE|NLM_F_EXCL: IFA_LOCAL and IFA_ADDRESS both carry the address, as
   * for any link without a point-to-point peer, so the kernel also adds the prefix route.
   */
  static byte[] newAddress(int index, IpPrefix prefix) {
    NetlinkWriter w = new NetlinkWriter(RTM_NEWADDR,
        NlMsgHdr.NLM_F_REQUEST | NlMsgHdr.NLM_F_ACK | NlMsgHdr.NLM_F_CREATE | NlMsgHdr.NLM_F_EXCL, LIMIT);
    w.struct(new IfAddrMsg(prefix.isIpv4() ? AF_INET : AF_INET6, prefix.prefixLength(), 0, 0, index));
    w.attribute(IFA_LOCAL, prefix.addressBytes());
    w.attribute(IFA_ADDRESS, prefix.addressBytes());
    return w.finish();
  }

  static byte[] dumpAddresses() {
    NetlinkWriter w = new NetlinkWriter(RTM_GETADDR, NlMsgHdr.NLM_F_REQUEST | NlMsgHdr.NLM_F_DUMP, LIMIT);
    w.struct(new IfAddrMsg(AF_UNSPEC, 0, 0, 0, 0));
    return w.finish();
  }

  static LinkInfo parseLink(NetlinkMessage message) throws MalformedNetlinkException {
    expectType(message, RTM_NEWLINK);
    ByteBuffer payload = message.payloadBuffer();
    IfInfoMsg info = IfInfoMsg.parse(payload);
    List<Attribute> attributes = Attribute.parseAll(payload);
    String name = Attribute.first(attributes, IFLA_IFNAME).map(Attribute::string)
        .orElseThrow(() -> new MalformedNetlinkException("RTM_NEWLINK without IFLA_IFNAME"));
    Optional<Attribute> mtu = Attribute.first(attributes, IFLA_MTU);
    Optional<String> kind = Optional.empty();
    Optional<Attribute> linkInfo = Attribute.first(attributes, IFLA_LINKINFO);
    if (linkInfo.isPresent()) {
      kind = Attribute.first(linkInfo.get().nested(), IFLA_INFO_KIND).map(Attribute::string);
    }
    Optional<String> alias = Attribute.first(attributes, IFLA_IFALIAS).map(Attribute::string).filter(a -> !a.isEmpty());
    return new LinkInfo(info.index(), name, info.flags(), mtu.isPresent() ? mtu.get().u32() : 0, kind, alias);
  }

  static AddressInfo parseAddress(NetlinkMessage message) throws MalformedNetlinkException {
    expectType(message, RTM_NEWADDR);
    ByteBuffer payload = message.payloadBuffer();
    IfAddrMsg header = IfAddrMsg.parse(payload);
    List<Attribute> attributes = Attribute.parseAll(payload);
    Attribute address = Attribute.first(attributes, IFA_LOCAL).or(() -> Attribute.first(attributes, IFA_ADDRESS))
        .orElseThrow(() -> new MalformedNetlinkException("RTM_NEWADDR without IFA_LOCAL or IFA_ADDRESS"));
    return new AddressInfo(header.index(), prefix(address.bytes(), header.prefixLength()));
  }

  static IpPrefix prefix(byte[] address, int prefixLength) throws MalformedNetlinkException {
    if (address.length != 4 && address.length != 16) {
      throw new MalformedNetlinkException("an IP address has 4 or 16 bytes, not " + address.length);
    }
    try {
      return new IpPrefix(InetAddress.getByAddress(address).getHostAddress(), prefixLength);
    } catch (UnknownHostException | IllegalArgumentException e) {
      throw new MalformedNetlinkException("bad address or prefix length " + prefixLength);
    }
  }

  private static void expectType(NetlinkMessage message, int type) throws MalformedNetlinkException {
    if (message.header().type() != type) {
      throw new MalformedNetlinkException("expected message type " + type + ", got " + message.header().type());
    }
  }
}
