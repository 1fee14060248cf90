package io.partynet.wireguard.jna.internal.netlink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.partynet.IpPrefix;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One hex vector per kernel struct and per rtnetlink request, each byte group commented with the
 * field it fills (layouts from linux/netlink.h, linux/rtnetlink.h, linux/if_link.h, linux/if_addr.h,
 * linux/genetlink.h; the requests are what {@code ip link add NAME type veth} and
 * {@code ip addr add} send, minus iproute2's extras), plus pack/parse round trips.
 */
class NetlinkStructsTest {

  @BeforeAll
  static void littleEndianHost() {
    Assumptions.assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "vectors are little endian");
  }

  private static ByteBuffer bytes(String hex) {
    return Structs.wrap(HexFormat.of().parseHex(hex.replace(" ", "")));
  }

  private static String hex(Packable struct) {
    ByteBuffer b = Structs.allocate(struct.size());
    struct.pack(b);
    return HexFormat.of().formatHex(b.array());
  }

  @Test
  void nlmsghdr() throws Exception {
    String vector = "28000000" // nlmsg_len = 40
        + "1400"                 // nlmsg_type = RTM_NEWADDR (20)
        + "0506"                 // nlmsg_flags = REQUEST | ACK | EXCL (0x200) | CREATE (0x400)
        + "07000000"             // nlmsg_seq = 7
        + "39300000";            // nlmsg_pid = 12345
    NlMsgHdr h = new NlMsgHdr(40, 20, 0x605, 7, 12345);
    assertEquals(vector, hex(h));
    assertEquals(h, NlMsgHdr.parse(bytes(vector)));
  }

  @Test
  void ifinfomsg() throws Exception {
    String vector = "00" // ifi_family = AF_UNSPEC
        + "00"             // padding
        + "0100"           // ifi_type = ARPHRD_ETHER (1)
        + "05000000"       // ifi_index = 5
        + "43100000"       // ifi_flags = UP | BROADCAST | RUNNING | MULTICAST | LOWER_UP (0x1043)
        + "01000000";      // ifi_change = IFF_UP
    IfInfoMsg m = new IfInfoMsg(0, 1, 5, 0x1043, 1);
    assertEquals(vector, hex(m));
    assertEquals(m, IfInfoMsg.parse(bytes(vector)));
  }

  @Test
  void ifaddrmsg() throws Exception {
    String vector = "0a" // ifa_family = AF_INET6 (10)
        + "40"             // ifa_prefixlen = 64
        + "80"             // ifa_flags = IFA_F_PERMANENT (0x80)
        + "00"             // ifa_scope = RT_SCOPE_UNIVERSE
        + "05000000";      // ifa_index = 5
    IfAddrMsg m = new IfAddrMsg(10, 64, 0x80, 0, 5);
    assertEquals(vector, hex(m));
    assertEquals(m, IfAddrMsg.parse(bytes(vector)));
  }

  @Test
  void genlmsghdrAndNlattr() throws Exception {
    assertEquals("03010000", hex(new GenlMsgHdr(3, 1))); // cmd CTRL_CMD_GETFAMILY, version 1, reserved 0
    assertEquals("0c000880", hex(new NlAttr(12, 8 | NlAttr.NLA_F_NESTED))); // nla_len 12, nla_type 8 | NLA_F_NESTED
    NlAttr parsed = NlAttr.parse(bytes("0c000880"));
    assertEquals(8, parsed.number());
  }

  @Test
  void nlmsgerrCarriesTheNegatedErrnoAndTheRequestHeader() throws Exception {
    String vector = "efffffff" // error = -17 (-EEXIST)
        + "3c000000" + "1000" + "0506" + "01000000" + "00000000"; // the RTM_NEWLINK request's nlmsghdr
    NlMsgErr e = NlMsgErr.parse(bytes(vector));
    assertEquals(-17, e.error());
    assertEquals(new NlMsgHdr(60, 16, 0x605, 1, 0), e.request());
    assertEquals(vector, hex(e));
  }

  @Test
  void newLinkRequest() {
    String vector = "3c000000" + "1000" + "0506" + "00000000" + "00000000" // len 60, RTM_NEWLINK, REQUEST|ACK|EXCL|CREATE
        + "00" + "00" + "0000" + "00000000" + "00000000" + "00000000"       // ifinfomsg: AF_UNSPEC, new link, no flags
        + "0900" + "0300" + "706e773000" + "000000"                          // IFLA_IFNAME (3) "pnw0\0" + 3 pad
        + "1000" + "1280"                                                    // IFLA_LINKINFO (18) | NLA_F_NESTED, 16 bytes
        + "0900" + "0100" + "7665746800" + "000000";                         //   IFLA_INFO_KIND (1) "veth\0" + 3 pad
    assertEquals(vector, HexFormat.of().formatHex(RtMessages.newLink("pnw0", "veth")));
  }

  @Test
  void newAddressRequest() {
    String vector = "28000000" + "1400" + "0506" + "00000000" + "00000000" // len 40, RTM_NEWADDR, REQUEST|ACK|EXCL|CREATE
        + "02" + "18" + "00" + "00" + "05000000"                            // ifaddrmsg: AF_INET, /24, no flags, universe, index 5
        + "0800" + "0200" + "0a4d0304"                                      // IFA_LOCAL (2) 10.77.3.4
        + "0800" + "0100" + "0a4d0304";                                     // IFA_ADDRESS (1) 10.77.3.4
    assertEquals(vector, HexFormat.of().formatHex(RtMessages.newAddress(5, IpPrefix.parse("10.77.3.4/24"))));
  }

  @Test
  void setUpRequestChangesOnlyIffUp() {
    String vector = "20000000" + "1000" + "0500" + "00000000" + "00000000" // len 32, RTM_NEWLINK, REQUEST|ACK
        + "00" + "00" + "0000" + "05000000" + "01000000" + "01000000";     // index 5, flags IFF_UP, change IFF_UP
    assertEquals(vector, HexFormat.of().formatHex(RtMessages.setUp(5, true)));
  }

  @Test
  void setAliasRequestCarriesIflaIfalias() {
    String vector = "28000000" + "1000" + "0500" + "00000000" + "00000000" // len 40, RTM_NEWLINK, REQUEST|ACK
        + "00" + "00" + "0000" + "05000000" + "00000000" + "00000000"       // index 5, no flag change
        + "0700" + "1400" + "706e00" + "00";                                 // IFLA_IFALIAS "pn", padded
    assertEquals(vector, HexFormat.of().formatHex(RtMessages.setAlias(5, "pn")));
  }

  @Test
  void linkAnswerWithAnAliasParses() throws Exception {
    String vector = "34000000" + "1000" + "0000" + "01000000" + "b0040000" // len 52, RTM_NEWLINK answer
        + "00" + "00" + "0100" + "05000000" + "43100000" + "00000000"
        + "0900" + "0300" + "706e773000" + "000000"                          // IFLA_IFNAME "pnw0"
        + "0700" + "1400" + "706e00" + "00";                                 // IFLA_IFALIAS "pn"
    NetlinkMessage message = NetlinkMessage.parseAll(bytes(vector)).get(0);
    assertEquals(Optional.of("pn"), RtMessages.parseLink(message).alias());
  }

  @Test
  void linkAnswerParses() throws Exception {
    String vector = "44000000" + "1000" + "0000" + "01000000" + "b0040000" // len 68, RTM_NEWLINK answer, seq 1, pid 1200
        + "00" + "00" + "0100" + "05000000" + "43100000" + "00000000"       // ifinfomsg: ARPHRD_ETHER, index 5, UP|...
        + "0900" + "0300" + "706e773000" + "000000"                          // IFLA_IFNAME "pnw0"
        + "0800" + "0400" + "64050000"                                       // IFLA_MTU 1380
        + "1000" + "1200"                                                    // IFLA_LINKINFO (kernel answers without NLA_F_NESTED)
        + "0900" + "0100" + "7665746800" + "000000";                         //   IFLA_INFO_KIND "veth"
    NetlinkMessage message = NetlinkMessage.parseAll(bytes(vector)).get(0);
    assertEquals(new LinkInfo(5, "pnw0", 0x1043, 1380, Optional.of("veth"), Optional.empty()),
        RtMessages.parseLink(message));
  }

  @Test
  void addressAnswerParses() throws Exception {
    String vector = "40000000" + "1400" + "0000" + "02000000" + "00000000" // len 64, RTM_NEWADDR answer
        + "0a" + "40" + "80" + "00" + "05000000"                            // AF_INET6, /64, permanent, index 5
        + "1400" + "0100" + "fd770000000000000000000000000004"              // IFA_ADDRESS fd77::4
        + "1400" + "0300" + "00000000000000000000000000000000";             // IFA_LABEL (3): ignored
    NetlinkMessage message = NetlinkMessage.parseAll(bytes(vector)).get(0);
    assertEquals(new AddressInfo(5, IpPrefix.parse("fd77::4/64")), RtMessages.parseAddress(message));
  }

  @Test
  void shortInputIsMalformed() {
    assertThrows(MalformedNetlinkException.class, () -> NlMsgHdr.parse(bytes("280000001400")));
    assertThrows(MalformedNetlinkException.class, () -> Attribute.parseAll(bytes("0900030070")));
    assertThrows(MalformedNetlinkException.class, () -> Attribute.parseAll(bytes("020003")));
  }

  @Property(tries = 200)
  void structsRoundTrip(@ForAll int a, @ForAll int b, @ForAll int c, @ForAll int d, @ForAll int e) throws Exception {
    NlMsgHdr h = new NlMsgHdr(a, b & 0xffff, c & 0xffff, d, e);
    assertEquals(h, NlMsgHdr.parse(bytes(hex(h))));
    IfInfoMsg info = new IfInfoMsg(a & 0xff, b & 0xffff, c, d, e);
    assertEquals(info, IfInfoMsg.parse(bytes(hex(info))));
    IfAddrMsg addr = new IfAddrMsg(a & 0xff, b & 0xff, c & 0xff, d & 0xff, e);
    assertEquals(addr, IfAddrMsg.parse(bytes(hex(addr))));
    GenlMsgHdr genl = new GenlMsgHdr(a & 0xff, b & 0xff);
    assertEquals(genl, GenlMsgHdr.parse(bytes(hex(genl))));
    NlMsgErr err = new NlMsgErr(a, h);
    assertEquals(err, NlMsgErr.parse(bytes(hex(err))));
    SockaddrNl nl = new SockaddrNl(a, b);
    assertEquals(nl, SockaddrNl.parse(Structs.wrap(nl.toBytes())));
  }

  @Property(tries = 200)
  void attributesRoundTripWithNesting(@ForAll("values") List<byte[]> values, @ForAll("types") List<Integer> types) throws Exception {
    NetlinkWriter w = new NetlinkWriter(99, 0, 65536);
    int outer = w.nestStart(7);
    int n = Math.min(values.size(), types.size());
    for (int i = 0; i < n; i++) {
      w.attribute(types.get(i), values.get(i));
    }
    w.nestEnd(outer);
    NetlinkMessage message = NetlinkMessage.parseAll(Structs.wrap(w.finish())).get(0);
    List<Attribute> top = Attribute.parseAll(message.payloadBuffer());
    assertEquals(1, top.size());
    List<Attribute> inner = top.get(0).nested();
    assertEquals(n, inner.size());
    for (int i = 0; i < n; i++) {
      assertEquals(types.get(i).intValue(), inner.get(i).number());
      assertArrayEquals(values.get(i), inner.get(i).bytes());
    }
  }

  @Property(tries = 300)
  void randomBytesOnlyRaiseTheDecodeError(@ForAll("junk") byte[] junk) {
    WgMessagesTest.expectOnlyMalformed(() -> NetlinkMessage.parseAll(Structs.wrap(junk)));
    WgMessagesTest.expectOnlyMalformed(() -> Attribute.parseAll(Structs.wrap(junk)));
    NetlinkMessage link = new NetlinkMessage(new NlMsgHdr(0, RtMessages.RTM_NEWLINK, 0, 0, 0), junk);
    WgMessagesTest.expectOnlyMalformed(() -> RtMessages.parseLink(link));
    NetlinkMessage addr = new NetlinkMessage(new NlMsgHdr(0, RtMessages.RTM_NEWADDR, 0, 0, 0), junk);
    WgMessagesTest.expectOnlyMalformed(() -> RtMessages.parseAddress(addr));
    NetlinkMessage ctrl = new NetlinkMessage(new NlMsgHdr(0, GenlMessages.GENL_ID_CTRL, 0, 0, 0), junk);
    WgMessagesTest.expectOnlyMalformed(() -> GenlMessages.parseFamilyId(List.of(ctrl), "wireguard"));
  }

  @Provide
  Arbitrary<List<byte[]>> values() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(40).list().ofMaxSize(10);
  }

  @Provide
  Arbitrary<List<Integer>> types() {
    return Arbitraries.integers().between(0, 0x3fff).list().ofMaxSize(10);
  }

  @Provide
  Arbitrary<byte[]> junk() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
  }
}
