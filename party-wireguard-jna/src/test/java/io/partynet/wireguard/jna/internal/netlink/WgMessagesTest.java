package io.partynet.wireguard.jna.internal.netlink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Endpoint;
import io.partynet.IpPrefix;
import io.partynet.Key;
import io.partynet.wireguard.jna.internal.device.DeviceArbitraries;
import io.partynet.wireguard.jna.internal.device.DeviceConfig;
import io.partynet.wireguard.jna.internal.device.DeviceState;
import io.partynet.wireguard.jna.internal.device.PeerSettings;
import io.partynet.wireguard.jna.internal.device.PeerState;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Assumptions;

/** The WireGuard generic netlink codec against reference bytes ({@link WgVectors}) and round-trip properties. */
class WgMessagesTest {
  private static final int FAMILY = 0x15;

  @BeforeAll
  static void littleEndianHost() {
    Assumptions.assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "vectors are little endian");
  }

  private static Key counting(int first) {
    byte[] b = new byte[32];
    for (int i = 0; i < 32; i++) {
      b[i] = (byte) (first + i);
    }
    return Key.fromBytes(b);
  }

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  @Test
  void getDeviceRequestMatchesTheReference() {
    assertArrayEquals(hex(WgVectors.GET_WG0), WgMessages.getDevice(FAMILY, "wg0"));
  }

  @Test
  void setDeviceMatchesTheReference() {
    DeviceConfig config = DeviceConfig.builder().privateKey(counting(0x01)).listenPort(51820).replacePeers(true)
        .peer(PeerSettings.builder(counting(0x21)).replaceAllowedIps(true).presharedKey(counting(0x41))
            .endpoint("192.0.2.1:51820").persistentKeepaliveSeconds(25).allowedIp("10.0.0.0/24").build())
        .build();
    List<byte[]> messages = WgMessages.setDevice(FAMILY, "wg0", config, WgMessages.DEFAULT_MESSAGE_LIMIT);
    assertEquals(1, messages.size());
    assertEquals(WgVectors.SET_SMALL, HexFormat.of().formatHex(messages.get(0)));
  }

  @Test
  void dumpInTwoPartsDecodesToOneDevice() throws Exception {
    List<NetlinkMessage> messages = NetlinkMessage.parseAll(Structs.wrap(hex(WgVectors.GET_DUMP_TWO_PARTS)));
    assertEquals(3, messages.size());
    assertEquals(NlMsgHdr.NLMSG_DONE, messages.get(2).header().type());
    DeviceState state = WgDeviceDump.parse(messages.subList(0, 2));
    DeviceState expected = new DeviceState(Optional.of("wg0"), 7, Optional.of(counting(0x01)), Optional.of(counting(0x81)),
        51820, 0, List.of(
            new PeerState(counting(0x21), Optional.empty(), Optional.of(Endpoint.parse("[2001:db8::1]:51821")),
                List.of(IpPrefix.parse("10.0.0.2/32"), IpPrefix.parse("10.0.1.0/24")), 25,
                Optional.of(Instant.ofEpochSecond(1_700_000_000L, 500_000_000)), 2000, 1000, 1),
            new PeerState(counting(0xc1), Optional.empty(), Optional.empty(),
                List.of(IpPrefix.parse("10.0.2.0/24"), IpPrefix.parse("10.0.3.0/24")), 0, Optional.empty(), 0, 0, 1)));
    assertEquals(expected, state);
  }

  @Test
  void largeConfigurationIsSplitLikeWireguardTools() throws Exception {
    List<PeerSettings> peers = new ArrayList<>();
    for (int p = 0; p < 40; p++) {
      PeerSettings.Builder b = PeerSettings.builder(counting(p)).replaceAllowedIps(true).endpoint("198.51.100.1:" + (1000 + p));
      for (int i = 0; i < 30; i++) {
        b.allowedIp("10." + p + "." + i + ".0/24");
      }
      peers.add(b.build());
    }
    DeviceConfig config = DeviceConfig.builder().privateKey(counting(0x70)).listenPort(1).replacePeers(true).peers(peers).build();
    List<byte[]> messages = WgMessages.setDevice(FAMILY, "wg0", config, 1024);

    assertTrue(messages.size() > 20, "40 peers x 30 allowed IPs need many 1 KiB messages: " + messages.size());
    List<NetlinkMessage> parsed = new ArrayList<>();
    for (byte[] m : messages) {
      assertTrue(m.length <= 1024, "message of " + m.length + " bytes");
      parsed.add(NetlinkMessage.parseAll(Structs.wrap(m)).get(0));
    }
    assertEquals(config, WgMessages.parseSetDevice(parsed));
    for (NetlinkMessage later : parsed.subList(1, parsed.size())) {
      List<Attribute> attributes = Attribute.parseAll(skipGenl(later));
      assertEquals("wg0", Attribute.first(attributes, WgMessages.WGDEVICE_A_IFNAME).orElseThrow().string());
      assertTrue(Attribute.first(attributes, WgMessages.WGDEVICE_A_PRIVATE_KEY).isEmpty(), "device keys only in the first message");
      assertTrue(Attribute.first(attributes, WgMessages.WGDEVICE_A_FLAGS).isEmpty(), "REPLACE_PEERS only in the first message");
    }
  }

  @Test
  void continuedPeerCarriesNeitherReplaceFlagNorEndpoint() throws Exception {
    PeerSettings.Builder b = PeerSettings.builder(counting(9)).replaceAllowedIps(true).endpoint("198.51.100.9:9");
    for (int i = 0; i < 100; i++) {
      b.allowedIp("10.9." + i + ".0/24");
    }
    List<byte[]> messages = WgMessages.setDevice(FAMILY, "wg0", DeviceConfig.builder().peer(b.build()).build(), 1024);
    assertTrue(messages.size() >= 3, "100 allowed IPs of 28 bytes do not fit 1 KiB: " + messages.size());
    List<Attribute> second = Attribute.parseAll(skipGenl(NetlinkMessage.parseAll(Structs.wrap(messages.get(1))).get(0)));
    List<Attribute> peer = Attribute.first(second, WgMessages.WGDEVICE_A_PEERS).orElseThrow().nested().get(0).nested();
    assertEquals(counting(9), Key.fromBytes(Attribute.first(peer, WgMessages.WGPEER_A_PUBLIC_KEY).orElseThrow().bytes()));
    assertTrue(Attribute.first(peer, WgMessages.WGPEER_A_FLAGS).isEmpty(), "REPLACE_ALLOWEDIPS must not wipe the first part");
    assertTrue(Attribute.first(peer, WgMessages.WGPEER_A_ENDPOINT).isEmpty());
    assertTrue(Attribute.first(peer, WgMessages.WGPEER_A_ALLOWEDIPS).orElseThrow().nested().size() > 10);
  }

  @Test
  void truncatedValuesAreMalformed() {
    byte[] dump = hex(WgVectors.GET_DUMP_TWO_PARTS);
    dump[0] = (byte) 0xff;
    assertThrows(MalformedNetlinkException.class, () -> NetlinkMessage.parseAll(Structs.wrap(dump)));
    assertThrows(MalformedNetlinkException.class, () -> WgMessages.parseSockaddr(new byte[] {2, 0, 0, 1}));
    // A handshake time beyond what java.time can hold (found by the corruption property).
    NetlinkWriter w = new NetlinkWriter(FAMILY, 0, 512);
    w.struct(new GenlMsgHdr(WgMessages.WG_CMD_GET_DEVICE, 1));
    int peers = w.nestStart(WgMessages.WGDEVICE_A_PEERS);
    int peer = w.nestStart(0);
    w.attribute(WgMessages.WGPEER_A_PUBLIC_KEY, new byte[32]);
    w.attribute(WgMessages.WGPEER_A_LAST_HANDSHAKE_TIME, Structs.allocate(16).putLong(Long.MAX_VALUE).putLong(0).array());
    w.nestEnd(peer);
    w.nestEnd(peers);
    byte[] bytes = w.finish();
    assertThrows(MalformedNetlinkException.class,
        () -> WgDeviceDump.parse(NetlinkMessage.parseAll(Structs.wrap(bytes))));
  }

  private static java.nio.ByteBuffer skipGenl(NetlinkMessage m) throws MalformedNetlinkException {
    java.nio.ByteBuffer b = m.payloadBuffer();
    GenlMsgHdr.parse(b);
    return b;
  }

  @Property(tries = 150)
  void setDeviceRoundTripsAtAnyMessageLimit(@ForAll("configs") DeviceConfig config,
      @ForAll @IntRange(min = 512, max = 9000) int limit) throws Exception {
    List<NetlinkMessage> parsed = new ArrayList<>();
    for (byte[] m : WgMessages.setDevice(FAMILY, "pnw0", config, limit)) {
      assertTrue(m.length <= limit, "message of " + m.length + " bytes over " + limit);
      parsed.add(NetlinkMessage.parseAll(Structs.wrap(m)).get(0));
    }
    assertEquals(config, WgMessages.parseSetDevice(parsed));
  }

  @Property(tries = 100)
  void dumpRoundTripsAtAnyPartSize(@ForAll("states") DeviceState state,
      @ForAll @IntRange(min = 512, max = 9000) int limit) throws Exception {
    assertEquals(state, WgDeviceDump.parse(KernelDumpWriter.write(FAMILY, state, limit)));
  }

  @Property(tries = 500)
  void randomBytesOnlyEverRaiseTheDecodeError(@ForAll("junk") byte[] junk) {
    NlMsgHdr header = new NlMsgHdr(NlMsgHdr.SIZE + junk.length, FAMILY, 0, 0, 0);
    NetlinkMessage message = new NetlinkMessage(header, junk);
    expectOnlyMalformed(() -> WgDeviceDump.parse(List.of(message)));
    expectOnlyMalformed(() -> WgMessages.parseSetDevice(List.of(message)));
    expectOnlyMalformed(() -> NetlinkMessage.parseAll(Structs.wrap(junk)));
  }

  /** Random attribute trees inside a valid genl header reach deeper than random bytes do. */
  @Property(tries = 200)
  void corruptedRealDumpsOnlyEverRaiseTheDecodeError(@ForAll @IntRange(min = 0, max = 651) int at, @ForAll byte value) {
    byte[] dump = hex(WgVectors.GET_DUMP_TWO_PARTS);
    dump[at] = value;
    expectOnlyMalformed(() -> {
      List<NetlinkMessage> messages = NetlinkMessage.parseAll(Structs.wrap(dump));
      WgDeviceDump.parse(messages.subList(0, Math.min(2, messages.size())).stream()
          .filter(m -> m.header().type() == FAMILY).toList());
    });
  }

  interface Decode {
    void run() throws Exception;
  }

  static void expectOnlyMalformed(Decode decode) {
    try {
      decode.run();
    } catch (MalformedNetlinkException expected) {
      // the one permitted failure
    } catch (Exception | Error e) {
      throw new AssertionError("decoder raised " + e + " instead of MalformedNetlinkException", e);
    }
  }

  @Provide
  Arbitrary<DeviceConfig> configs() {
    return DeviceArbitraries.deviceConfigs(8, 30);
  }

  @Provide
  Arbitrary<DeviceState> states() {
    return DeviceArbitraries.deviceStates(8, 20, true);
  }

  @Provide
  Arbitrary<byte[]> junk() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
  }
}
