package io.partynet.core.internal.nat.stun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Round trips and fuzzing of the STUN and ChannelData codecs. */
class StunCodecPropertiesTest {

  @Property
  void plainMessagesRoundTrip(@ForAll("messages") StunMessage message) throws StunDecodeException {
    assertEquals(message, StunCodec.decode(StunEncoder.plain().encode(message)));
  }

  @Property
  void protectedMessagesRoundTripAndVerify(
      @ForAll("messages") StunMessage message, @ForAll @Size(max = 40) byte[] key) throws StunDecodeException {
    ByteBuffer wire = StunEncoder.plain().withIntegrity(key).withIntegritySha256(key).withFingerprint().encode(message);
    StunMessage decoded = StunCodec.decode(wire);
    assertEquals(message, decoded.withoutProtection());
    assertTrue(StunIntegrity.checkSha1(wire, key));
    assertTrue(StunIntegrity.checkSha256(wire, key));
  }

  @Property
  void channelDataRoundTrips(
      @ForAll("channels") int channel, @ForAll @Size(max = 1500) byte[] data) throws StunDecodeException {
    ChannelData frame = new ChannelData(channel, data);
    assertEquals(frame, ChannelData.decode(frame.encode()));
  }

  @Property(tries = 3000)
  void randomBytesOnlyEverRaiseTheTypedError(@ForAll @Size(max = 200) byte[] junk) {
    decodeQuietly(ByteBuffer.wrap(junk));
  }

  /** Random bytes behind a valid header reach the attribute parsers, which plain junk rarely does. */
  @Property(tries = 3000)
  void randomAttributesOnlyEverRaiseTheTypedError(
      @ForAll("attributeJunk") byte[] body, @ForAll("transactions") TransactionId tid) {
    ByteBuffer b = ByteBuffer.allocate(StunCodec.HEADER + body.length);
    b.putShort((short) 0x0101).putShort((short) body.length).putInt(StunCodec.MAGIC_COOKIE).put(tid.bytes()).put(body);
    decodeQuietly(b.flip());
  }

  private static void decodeQuietly(ByteBuffer datagram) {
    try {
      StunCodec.decode(datagram);
    } catch (StunDecodeException expected) {
      // the only acceptable failure
    }
    try {
      ChannelData.decode(datagram);
    } catch (StunDecodeException expected) {
      // the only acceptable failure
    }
  }

  @Provide
  Arbitrary<byte[]> attributeJunk() {
    Arbitrary<Integer> types = Arbitraries.oneOf(
        Arbitraries.of(0x0001, 0x0003, 0x0006, 0x0008, 0x0009, 0x000A, 0x000C, 0x000D, 0x0012, 0x0013, 0x0014,
            0x0015, 0x0016, 0x0019, 0x001C, 0x0020, 0x8022, 0x8028, 0x802B, 0x802C),
        Arbitraries.integers().between(0, 0xFFFF));
    Arbitrary<byte[]> one = Combinators.combine(types, Arbitraries.bytes().array(byte[].class).ofMaxSize(24))
        .as((type, value) -> {
          int padded = (value.length + 3) & ~3;
          return ByteBuffer.allocate(4 + padded).putShort((short) (int) type).putShort((short) value.length)
              .put(value).array();
        });
    return one.list().ofMaxSize(6).map(list -> {
      int total = list.stream().mapToInt(a -> a.length).sum();
      ByteBuffer b = ByteBuffer.allocate(total);
      list.forEach(b::put);
      return b.array();
    });
  }

  @Provide
  Arbitrary<Integer> channels() {
    return Arbitraries.integers().between(ChannelData.MIN_CHANNEL, ChannelData.MAX_CHANNEL);
  }

  @Provide
  Arbitrary<TransactionId> transactions() {
    return Arbitraries.bytes().array(byte[].class).ofSize(TransactionId.LENGTH).map(TransactionId::of);
  }

  @Provide
  Arbitrary<StunMessage> messages() {
    return Combinators.combine(
            Arbitraries.of(MessageClass.class),
            Arbitraries.integers().between(0, StunMethod.MAX),
            transactions(),
            attributes().list().ofMaxSize(8))
        .as(StunMessage::new);
  }

  private Arbitrary<StunAttribute> attributes() {
    return Arbitraries.oneOf(
        Combinators.combine(
                Arbitraries.of(AttributeType.MAPPED_ADDRESS, AttributeType.OTHER_ADDRESS, AttributeType.RESPONSE_ORIGIN,
                    AttributeType.XOR_MAPPED_ADDRESS, AttributeType.XOR_PEER_ADDRESS, AttributeType.XOR_RELAYED_ADDRESS),
                socketAddresses())
            .as(StunAttribute.Address::new),
        Combinators.combine(
                Arbitraries.of(AttributeType.USERNAME, AttributeType.SOFTWARE, AttributeType.REALM, AttributeType.NONCE),
                texts())
            .as(StunAttribute.Text::new),
        Combinators.combine(Arbitraries.integers().between(300, 699), texts()).as(StunAttribute.ErrorCode::new),
        Arbitraries.integers().between(0, 0xFFFF).list().ofMaxSize(5).map(StunAttribute.UnknownAttributes::new),
        Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false)).as(StunAttribute.ChangeRequest::new),
        Arbitraries.longs().between(0, 0xFFFF_FFFFL).map(StunAttribute.Lifetime::new),
        channels().map(StunAttribute.ChannelNumber::new),
        Arbitraries.integers().between(0, 255).map(StunAttribute.RequestedTransport::new),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(64).map(StunAttribute.Data::new),
        Combinators.combine(
                Arbitraries.integers().between(0, 0xFFFF).filter(t -> !StunCodec.isKnownType(t)),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(32))
            .as(StunAttribute.Unrecognized::new));
  }

  private Arbitrary<String> texts() {
    return Arbitraries.strings()
        .withCharRange('a', 'z')
        .withCharRange('\u00a0', '\u00ff')
        .withCharRange('\u30a0', '\u30ff')
        .ofMaxLength(40);
  }

  private Arbitrary<InetSocketAddress> socketAddresses() {
    Arbitrary<byte[]> v4 = Arbitraries.bytes().array(byte[].class).ofSize(4);
    // First byte 0x20: never an IPv4-mapped IPv6 address, which Java turns into an Inet4Address.
    Arbitrary<byte[]> v6 = Arbitraries.bytes().array(byte[].class).ofSize(16).map(b -> {
      b[0] = 0x20;
      return b;
    });
    return Combinators.combine(Arbitraries.oneOf(v4, v6), Arbitraries.integers().between(0, 65535))
        .as((ip, port) -> new InetSocketAddress(address(ip), port));
  }

  private static InetAddress address(byte[] ip) {
    try {
      return InetAddress.getByAddress(ip);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Property
  void xorAddressesAreNotSentInTheClear(@ForAll("transactions") TransactionId tid) throws Exception {
    InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("203.0.113.7"), 51820);
    StunMessage m = new StunMessage(MessageClass.SUCCESS_RESPONSE, StunMethod.BINDING, tid,
        List.of(StunAttribute.Address.xorMapped(a)));
    byte[] wire = StunVectorsTest.toArray(StunEncoder.plain().encode(m));
    // value starts at 24: reserved, family, port, address
    assertEquals(51820 ^ 0x2112, ((wire[26] & 0xFF) << 8) | (wire[27] & 0xFF));
    assertEquals((byte) (203 ^ 0x21), wire[28]);
  }
}
