package io.partynet.core.internal.nat.stun;

import static io.partynet.core.internal.nat.stun.Rfc5769Vectors.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Byte-for-byte checks against RFC 5769, in both directions. */
class StunVectorsTest {
  private static final byte[] SHORT_KEY = StunIntegrity.shortTermKey(SHORT_TERM_PASSWORD);

  @Test
  void sampleRequestDecodesVerifiesAndReEncodesByteForByte() throws Exception {
    byte[] wire = bytes(SAMPLE_REQUEST);
    StunMessage m = StunCodec.decode(ByteBuffer.wrap(wire));
    assertEquals(MessageClass.REQUEST, m.messageClass());
    assertEquals(StunMethod.BINDING, m.method());
    assertEquals("b7e7a701bc34d686fa87dfae", m.transactionId().toString());
    assertEquals("STUN test client", m.text(AttributeType.SOFTWARE).orElseThrow());
    assertEquals("evtj:h6vY", m.text(AttributeType.USERNAME).orElseThrow());
    // PRIORITY (0x0024) and ICE-CONTROLLED (0x8029) are ICE's: kept raw, PRIORITY is comprehension-required.
    assertEquals(List.of(0x0024), m.unknownComprehensionRequired());
    assertTrue(StunIntegrity.checkSha1(ByteBuffer.wrap(wire), SHORT_KEY));
    assertFalse(StunIntegrity.checkSha1(ByteBuffer.wrap(wire), StunIntegrity.shortTermKey("wrong")));

    // The RFC pads USERNAME with spaces; MESSAGE-INTEGRITY covers the padding.
    ByteBuffer again = StunEncoder.plain().withPadding((byte) ' ').withIntegrity(SHORT_KEY).withFingerprint()
        .encode(m.withoutProtection());
    assertEquals(HexFormat.of().formatHex(wire), HexFormat.of().formatHex(toArray(again)));
  }

  @Test
  void ipv4ResponseCarriesTheDocumentedAddress() throws Exception {
    byte[] wire = bytes(IPV4_RESPONSE);
    StunMessage m = StunCodec.decode(ByteBuffer.wrap(wire));
    assertEquals(MessageClass.SUCCESS_RESPONSE, m.messageClass());
    assertEquals("test vector", m.text(AttributeType.SOFTWARE).orElseThrow());
    assertEquals(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853),
        m.address(AttributeType.XOR_MAPPED_ADDRESS).orElseThrow().address());
    assertVerifiesAndReencodesToTheVector(wire, m);
  }

  @Test
  void ipv6ResponseCarriesTheDocumentedAddress() throws Exception {
    byte[] wire = bytes(IPV6_RESPONSE);
    StunMessage m = StunCodec.decode(ByteBuffer.wrap(wire));
    assertEquals(new InetSocketAddress(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853),
        m.address(AttributeType.XOR_MAPPED_ADDRESS).orElseThrow().address());
    assertVerifiesAndReencodesToTheVector(wire, m);
  }

  /** RFC 5769's responses: integrity with the short-term key, and the encoder gives the same bytes back. */
  private static void assertVerifiesAndReencodesToTheVector(byte[] wire, StunMessage decoded) {
    assertTrue(StunIntegrity.checkSha1(ByteBuffer.wrap(wire), SHORT_KEY));
    ByteBuffer again = StunEncoder.plain().withPadding((byte) ' ').withIntegrity(SHORT_KEY).withFingerprint()
        .encode(decoded.withoutProtection());
    assertArrayEquals(wire, toArray(again));
  }

  @Test
  void longTermRequestVerifiesWithTheMd5Key() throws Exception {
    byte[] wire = bytes(LONG_TERM_REQUEST);
    StunMessage m = StunCodec.decode(ByteBuffer.wrap(wire));
    assertEquals(LONG_TERM_USERNAME, m.text(AttributeType.USERNAME).orElseThrow());
    assertEquals("f//499k954d6OL34oL9FSTvy64sA", m.text(AttributeType.NONCE).orElseThrow());
    assertEquals(LONG_TERM_REALM, m.text(AttributeType.REALM).orElseThrow());
    byte[] key = StunIntegrity.longTermKey(LONG_TERM_USERNAME, LONG_TERM_REALM, LONG_TERM_PASSWORD);
    assertTrue(StunIntegrity.checkSha1(ByteBuffer.wrap(wire), key));
    assertFalse(StunIntegrity.checkSha1(ByteBuffer.wrap(wire),
        StunIntegrity.longTermKey(LONG_TERM_USERNAME, LONG_TERM_REALM, "TheMatrix")));
    ByteBuffer again = StunEncoder.plain().withIntegrity(key).encode(m.withoutProtection());
    assertArrayEquals(wire, toArray(again));
  }

  @Test
  void aFlippedBitBreaksTheFingerprint() {
    byte[] wire = bytes(IPV4_RESPONSE);
    wire[30] ^= 0x01;
    StunDecodeException e = assertThrows(StunDecodeException.class, () -> StunCodec.decode(ByteBuffer.wrap(wire)));
    assertTrue(e.getMessage().contains("FINGERPRINT"), e.getMessage());
  }

  @Test
  void sha256IntegrityRoundTripsAndDetectsTampering() throws Exception {
    byte[] key = StunIntegrity.longTermKey("user", "realm", "pass");
    StunMessage request = StunMessage.request(StunMethod.ALLOCATE,
        List.of(new StunAttribute.RequestedTransport(StunAttribute.RequestedTransport.UDP),
            StunAttribute.Text.username("user")));
    byte[] wire = toArray(StunEncoder.plain().withIntegrity(key).withIntegritySha256(key).withFingerprint()
        .encode(request));
    assertTrue(StunIntegrity.checkSha1(ByteBuffer.wrap(wire), key));
    assertTrue(StunIntegrity.checkSha256(ByteBuffer.wrap(wire), key));
    assertEquals(request, StunCodec.decode(ByteBuffer.wrap(wire)).withoutProtection());
    wire[27] ^= 0x01; // inside REQUESTED-TRANSPORT's reserved bytes
    assertFalse(StunIntegrity.checkSha256(ByteBuffer.wrap(wire), key));
    assertFalse(StunIntegrity.checkSha1(ByteBuffer.wrap(wire), key));
  }

  @Test
  void channelDataFramesAsRfc8656Section12Says() throws Exception {
    ByteBuffer frame = ChannelData.encode(0x4001, ByteBuffer.wrap(new byte[] {1, 2, 3}));
    assertEquals("4001000301" + "0203", HexFormat.of().formatHex(toArray(frame)));
    assertTrue(ChannelData.looksLikeChannelData(frame));
    assertEquals(new ChannelData(0x4001, new byte[] {1, 2, 3}), ChannelData.decode(frame));
    assertThrows(StunDecodeException.class,
        () -> ChannelData.decode(ByteBuffer.wrap(HexFormat.of().parseHex("5000000101"))));
    assertThrows(StunDecodeException.class,
        () -> ChannelData.decode(ByteBuffer.wrap(HexFormat.of().parseHex("40010005010203"))));
  }

  static byte[] toArray(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }
}
