package io.partynet.wireguard.jna.internal.uapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Endpoint;
import io.partynet.IpPrefix;
import io.partynet.Key;
import io.partynet.wireguard.jna.internal.device.DeviceArbitraries;
import io.partynet.wireguard.jna.internal.device.DeviceConfig;
import io.partynet.wireguard.jna.internal.device.DeviceState;
import io.partynet.wireguard.jna.internal.device.Errno;
import io.partynet.wireguard.jna.internal.device.ErrnoException;
import io.partynet.wireguard.jna.internal.device.PeerSettings;
import io.partynet.wireguard.jna.internal.device.PeerState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The UAPI text codec against the protocol's published example dialog and round-trip properties. */
class UapiCodecTest {

  /** The set request of the example dialog on https://www.wireguard.com/xplatform/ (verbatim). */
  static final String XPLATFORM_SET = """
      set=1
      private_key=e84b5a6d2717c1003a13b431570353dbaca9146cf150c5f8575680feba52027a
      fwmark=0
      listen_port=12912
      replace_peers=true
      public_key=b85996fecc9c7f1fc6d2572a76eda11d59bcd20be8e543b15ce4bd85a8e75a33
      preshared_key=188515093e952f5f22e865cef3012e72f8b5f0b598ac0309d5dacce3b70fcf52
      replace_allowed_ips=true
      allowed_ip=192.168.4.4/32
      endpoint=[abcd:23::33%2]:51820
      public_key=58402e695ba1772b1cc9309755f043251ea77fdcf10fbe63989ceb7e19321376
      replace_allowed_ips=true
      allowed_ip=192.168.4.6/32
      persistent_keepalive_interval=111
      endpoint=182.122.22.19:3233
      public_key=662e14fd594556f522604703340351258903b64f35553763f19426ab2a515c58
      endpoint=5.152.198.39:51820
      replace_allowed_ips=true
      allowed_ip=192.168.4.10/32
      allowed_ip=192.168.4.11/32
      public_key=e818b58db5274087fcc1be5dc728cf53d3b5726b4cef6b9bab8f8f8c2452c25c
      remove=true

      """;

  /** The get answer of the same example dialog (verbatim, which reports no handshake fields). */
  static final String XPLATFORM_GET = """
      private_key=e84b5a6d2717c1003a13b431570353dbaca9146cf150c5f8575680feba52027a
      listen_port=12912
      public_key=b85996fecc9c7f1fc6d2572a76eda11d59bcd20be8e543b15ce4bd85a8e75a33
      preshared_key=188515093e952f5f22e865cef3012e72f8b5f0b598ac0309d5dacce3b70fcf52
      allowed_ip=192.168.4.4/32
      endpoint=[abcd:23::33%2]:51820
      public_key=58402e695ba1772b1cc9309755f043251ea77fdcf10fbe63989ceb7e19321376
      tx_bytes=38333
      rx_bytes=2224
      allowed_ip=192.168.4.6/32
      persistent_keepalive_interval=111
      endpoint=182.122.22.19:3233
      public_key=662e14fd594556f522604703340351258903b64f35553763f19426ab2a515c58
      endpoint=5.152.198.39:51820
      allowed_ip=192.168.4.10/32
      allowed_ip=192.168.4.11/32
      tx_bytes=1212111
      rx_bytes=1929999999
      protocol_version=1
      errno=0

      """;

  @Test
  void decodesThePublishedSetExample() throws Exception {
    DeviceConfig c = UapiCodec.decodeSet(XPLATFORM_SET);
    assertEquals(Optional.of(Key.fromHex("e84b5a6d2717c1003a13b431570353dbaca9146cf150c5f8575680feba52027a")), c.privateKey());
    assertEquals(OptionalInt.of(0), c.fwmark());
    assertEquals(OptionalInt.of(12912), c.listenPort());
    assertTrue(c.replacePeers());
    assertEquals(4, c.peers().size());
    PeerSettings first = c.peers().get(0);
    assertEquals(Optional.of(Key.fromHex("188515093e952f5f22e865cef3012e72f8b5f0b598ac0309d5dacce3b70fcf52")), first.presharedKey());
    assertEquals(Optional.of(Endpoint.parse("[abcd:23::33]:51820")), first.endpoint(), "scope id dropped");
    assertEquals(List.of(IpPrefix.parse("192.168.4.4/32")), first.allowedIps());
    assertEquals(OptionalInt.of(111), c.peers().get(1).persistentKeepaliveSeconds());
    assertEquals(List.of(IpPrefix.parse("192.168.4.10/32"), IpPrefix.parse("192.168.4.11/32")), c.peers().get(2).allowedIps());
    assertTrue(c.peers().get(3).remove());
    assertEquals(c, UapiCodec.decodeSet(UapiCodec.encodeSet(c)), "our encoding says the same thing");
  }

  @Test
  void decodesThePublishedGetExample() throws Exception {
    DeviceState s = UapiCodec.decodeGetResponse(XPLATFORM_GET);
    assertEquals(12912, s.listenPort());
    assertEquals(3, s.peers().size());
    PeerState second = s.peers().get(1);
    assertEquals(38333, second.txBytes());
    assertEquals(2224, second.rxBytes());
    assertEquals(111, second.persistentKeepaliveSeconds());
    assertEquals(Optional.empty(), second.lastHandshake());
    assertEquals(1929999999L, s.peers().get(2).rxBytes());
    assertEquals(1, s.peers().get(2).protocolVersion());
  }

  @Test
  void encodesEveryKeyInProtocolOrder() {
    DeviceConfig c = DeviceConfig.builder().privateKey(Key.fromBytes(new byte[32])).listenPort(51820).fwmark(-1)
        .replacePeers(true)
        .peer(PeerSettings.builder(Key.fromBytes(filled(1))).updateOnly(true).presharedKey(Key.fromBytes(filled(2)))
            .endpoint("[2001:db8::7]:9").persistentKeepaliveSeconds(25).replaceAllowedIps(true)
            .allowedIp("10.77.0.2/32").allowedIp("fd77::/64").build())
        .peer(PeerSettings.removal(Key.fromBytes(filled(3))))
        .build();
    assertEquals("set=1\n"
        + "private_key=" + "00".repeat(32) + "\n"
        + "listen_port=51820\n"
        + "fwmark=4294967295\n"
        + "replace_peers=true\n"
        + "public_key=" + "01".repeat(32) + "\n"
        + "update_only=true\n"
        + "preshared_key=" + "02".repeat(32) + "\n"
        + "endpoint=[2001:db8::7]:9\n"
        + "persistent_keepalive_interval=25\n"
        + "replace_allowed_ips=true\n"
        + "allowed_ip=10.77.0.2/32\n"
        + "allowed_ip=fd77::/64\n"
        + "public_key=" + "03".repeat(32) + "\n"
        + "remove=true\n"
        + "\n", UapiCodec.encodeSet(c));
  }

  private static byte[] filled(int value) {
    byte[] b = new byte[32];
    java.util.Arrays.fill(b, (byte) value);
    return b;
  }

  @Test
  void nonZeroErrnoBecomesTypedException() {
    ErrnoException set = assertThrows(ErrnoException.class, () -> UapiCodec.decodeSetResponse("errno=22\n\n"));
    assertEquals(Errno.EINVAL, set.errno());
    ErrnoException get = assertThrows(ErrnoException.class, () -> UapiCodec.decodeGetResponse("errno=98\n\n"));
    assertEquals(Errno.EADDRINUSE, get.errno());
    // wireguard-go answers with the negated code
    ErrnoException negated = assertThrows(ErrnoException.class, () -> UapiCodec.decodeSetResponse("errno=-98\n\n"));
    assertEquals(Errno.EADDRINUSE, negated.errno());
    ErrnoException odd = assertThrows(ErrnoException.class, () -> UapiCodec.decodeSetResponse("errno=4242\n\n"));
    assertEquals(Errno.UNKNOWN, odd.errno());
    assertEquals(4242, odd.number());
  }

  @Test
  void getAnswerToleratesKeysFromNewerDaemons() throws Exception {
    DeviceState s = UapiCodec.decodeGetResponse("listen_port=1\nfuture_device_key=x\npublic_key=" + "01".repeat(32)
        + "\nfuture_peer_key=y\nlast_handshake_time_sec=5\nlast_handshake_time_nsec=6\nerrno=0\n\n");
    assertEquals(Optional.of(Instant.ofEpochSecond(5, 6)), s.peers().get(0).lastHandshake());
  }

  /** One malformed message per way a message can be wrong; each must raise the typed decode error. */
  @ParameterizedTest
  @ValueSource(strings = {
      "set=1\nlisten_port=1\n",                                  // no terminating empty line
      "get=1\n\n",                                               // not a set request
      "set=1\nmtu=1420\n\n",                                     // unknown device key
      "set=1\npublic_key=" + "01" + "\nendpoint=1.2.3.4:5\n\n",  // key too short
      "set=1\nprivate_key=GG00000000000000000000000000000000000000000000000000000000000000\n\n",    // key not hex
      "set=1\nprivate_key=AB00000000000000000000000000000000000000000000000000000000000000\n\n",    // key in uppercase hex
      "set=1\nlisten_port=65536\n\n",                            // port out of range
      "set=1\nlisten_port=-1\n\n",                               // negative port
      "set=1\nfwmark=4294967296\n\n",                            // fwmark over 32 bits
      "set=1\nreplace_peers=false\n\n",                          // flags only take true
      "set=1\npublic_key=" + "01" + "01010101010101010101010101010101010101010101010101010101010101" + "\nendpoint=example.com:51820\n\n", // host name endpoint
      "set=1\npublic_key=0101010101010101010101010101010101010101010101010101010101010101\nendpoint=1.2.3.4\n\n", // endpoint without port
      "set=1\npublic_key=0101010101010101010101010101010101010101010101010101010101010101\nallowed_ip=10.0.0.0/33\n\n", // bad CIDR
      "set=1\npublic_key=0101010101010101010101010101010101010101010101010101010101010101\nallowed_ip=10.0.0.1\n\n", // CIDR without length
      "set=1\npublic_key=0101010101010101010101010101010101010101010101010101010101010101\npersistent_keepalive_interval=65536\n\n",
      "set=1\npublic_key=0101010101010101010101010101010101010101010101010101010101010101\nprotocol_version=2\n\n",
      "set=1\npublic_key=0101010101010101010101010101010101010101010101010101010101010101\npublic_key=0101010101010101010101010101010101010101010101010101010101010101\n\n", // same peer twice
      "set=1\nno equals sign\n\n",                               // not key=value
      "set=1\n=value\n\n",                                       // empty key
  })
  void malformedSetRequestsRaiseTheDecodeError(String request) {
    assertThrows(MalformedUapiException.class, () -> UapiCodec.decodeSet(request));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "listen_port=1\n\n",                          // no errno line
      "errno=0\nlisten_port=1\nerrno=0\n\n",        // errno before the end
      "listen_port=1\nerrno=zero\n\n",              // errno not a number
      "public_key=01\nerrno=0\n\n",                 // bad key
      "public_key=0101010101010101010101010101010101010101010101010101010101010101\ntx_bytes=18446744073709551616\nerrno=0\n\n", // counter over 64 bits
      "public_key=0101010101010101010101010101010101010101010101010101010101010101\nlast_handshake_time_nsec=1000000000\nerrno=0\n\n",
      "public_key=0101010101010101010101010101010101010101010101010101010101010101\nlast_handshake_time_sec=9223372036854775807\nerrno=0\n\n", // beyond Instant
      "errno=0\n",                                  // no empty line
      "errno=0\nerrno=0\n\n",                       // a set answer is one line
  })
  void malformedAnswersRaiseTheDecodeError(String answer) {
    assertThrows(MalformedUapiException.class, () -> {
      UapiCodec.decodeGetResponse(answer);
      UapiCodec.decodeSetResponse(answer);
    });
  }

  @Property(tries = 200)
  void setRequestsRoundTrip(@ForAll("configs") DeviceConfig config) throws Exception {
    assertEquals(config, UapiCodec.decodeSet(UapiCodec.encodeSet(config)));
  }

  @Property(tries = 150)
  void getAnswersRoundTrip(@ForAll("states") DeviceState state) throws Exception {
    assertEquals(state, UapiCodec.decodeGetResponse(UapiCodec.encodeGetResponse(state)));
  }

  @Property(tries = 500)
  void randomTextOnlyRaisesTypedErrors(@ForAll("junk") String junk) {
    for (String message : List.of(junk, junk + "\n\n", "set=1\n" + junk + "\n\n", junk + "\nerrno=0\n\n")) {
      try {
        UapiCodec.decodeSet(message);
        UapiCodec.decodeGetResponse(message);
        UapiCodec.decodeSetResponse(message);
      } catch (MalformedUapiException | ErrnoException expected) {
        // the permitted failures
      }
    }
  }

  @Provide
  Arbitrary<DeviceConfig> configs() {
    return DeviceArbitraries.deviceConfigs(6, 10);
  }

  @Provide
  Arbitrary<DeviceState> states() {
    return DeviceArbitraries.deviceStates(5, 8, false);
  }

  @Provide
  Arbitrary<String> junk() {
    return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(200),
        Arbitraries.strings().withChars("=\n0123456789abcdef_.:/[]%-").ofMaxLength(200),
        Arbitraries.of("public_key", "allowed_ip", "endpoint", "errno", "listen_port", "tx_bytes", "fwmark")
            .flatMap(k -> Arbitraries.strings().withChars("0123456789:./[]f-").ofMaxLength(40).map(v -> k + "=" + v)));
  }
}
