package io.partynet.wireguard.jna.internal.nt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.partynet.Endpoint;
import io.partynet.IpPrefix;
import io.partynet.Key;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class NtConfigCodecPropertiesTest {

  @Property(tries = 300)
  void decodeInvertsEncode(@ForAll("configs") NtInterface config) throws Exception {
    assertEquals(config, NtConfigCodec.decode(NtConfigCodec.encode(config)));
  }

  @Property(tries = 200)
  void encodedSizeIsTheSumOfTheStructs(@ForAll("configs") NtInterface config) {
    long allowedIps = config.peers().stream().mapToLong(peer -> peer.allowedIps().size()).sum();
    assertEquals(80 + 136L * config.peers().size() + 24 * allowedIps, NtConfigCodec.encode(config).remaining());
  }

  /**
   * Random bytes either raise the typed error, never anything else, or parse into a configuration that
   * survives its own round trip.
   */
  @Property(tries = 700)
  void randomBytesOnlyRaiseTheFormatError(@ForAll("noise") byte[] bytes) throws Exception {
    assertParsesStablyOrRaisesTheFormatError(ByteBuffer.wrap(bytes));
  }

  /** Valid buffers with one byte changed: same rule, and this reaches the deeper checks. */
  @Property(tries = 700)
  void mutatedValidBuffersOnlyRaiseTheFormatError(
      @ForAll("configs") NtInterface config, @ForAll int where, @ForAll byte value) throws Exception {
    ByteBuffer encoded = NtConfigCodec.encode(config);
    encoded.put(Math.floorMod(where, encoded.remaining()), value);
    assertParsesStablyOrRaisesTheFormatError(encoded);
  }

  private static void assertParsesStablyOrRaisesTheFormatError(ByteBuffer bytes) throws Exception {
    NtInterface parsed;
    try {
      parsed = NtConfigCodec.decode(bytes);
    } catch (NtConfigFormatException expected) {
      return;
    }
    assertEquals(parsed, NtConfigCodec.decode(NtConfigCodec.encode(parsed)));
  }

  @Provide
  Arbitrary<byte[]> noise() {
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(700);
    // Mostly-zero buffers with small counts get past the size checks more often than pure noise.
    Arbitrary<byte[]> smallCounts = Arbitraries.integers().between(0, 3).flatMap(peers ->
        Arbitraries.bytes().array(byte[].class).ofSize(80 + 160 * peers).map(bytes -> {
          ByteBuffer view = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
          view.putInt(NtStructs.Interface.PEERS_COUNT, peers);
          return bytes;
        }));
    return Arbitraries.oneOf(random, smallCounts);
  }

  @Provide
  Arbitrary<NtInterface> configs() {
    Arbitrary<NtInterface.Builder> base = Combinators.combine(
            keys().optional(), keys().optional(), Arbitraries.integers().between(0, 65535).optional(),
            Arbitraries.of(true, false))
        .as((privateKey, publicKey, port, replace) -> {
          NtInterface.Builder builder = NtInterface.builder().replacePeers(replace);
          privateKey.ifPresent(builder::privateKey);
          publicKey.ifPresent(builder::publicKey);
          port.ifPresent(builder::listenPort);
          return builder;
        });
    return Combinators.combine(base, peers().list().ofMaxSize(4)).as((builder, peers) -> {
      peers.forEach(builder::addPeer);
      return builder.build();
    });
  }

  private Arbitrary<NtPeer> peers() {
    Arbitrary<NtPeer.Builder> identity = Combinators.combine(keys(), keys().optional(),
            Arbitraries.integers().between(0, 65535).optional(), endpoints().optional())
        .as((publicKey, psk, keepalive, endpoint) -> {
          NtPeer.Builder builder = NtPeer.builder(publicKey);
          psk.ifPresent(builder::presharedKey);
          keepalive.ifPresent(builder::persistentKeepalive);
          endpoint.ifPresent(builder::endpoint);
          return builder;
        });
    Arbitrary<NtPeer.Builder> withFlags = Combinators.combine(identity, Arbitraries.integers().between(0, 7),
            Arbitraries.longs(), Arbitraries.longs(), Arbitraries.longs())
        .as((builder, flags, tx, rx, handshake) -> builder
            .replaceAllowedIps((flags & 1) != 0).remove((flags & 2) != 0).updateOnly((flags & 4) != 0)
            .counters(tx, rx, handshake));
    return Combinators.combine(withFlags, allowedIps().list().ofMaxSize(5)).as((builder, allowedIps) -> {
      allowedIps.forEach(builder::addAllowedIp);
      return builder.build();
    });
  }

  private Arbitrary<NtAllowedIp> allowedIps() {
    Arbitrary<IpPrefix> v4 = Combinators.combine(Arbitraries.bytes().array(byte[].class).ofSize(4),
        Arbitraries.integers().between(0, 32)).as((bytes, length) -> new IpPrefix(literal(bytes), length));
    Arbitrary<IpPrefix> v6 = Combinators.combine(v6Addresses(), Arbitraries.integers().between(0, 128))
        .as((bytes, length) -> new IpPrefix(literal(bytes), length));
    return Combinators.combine(Arbitraries.oneOf(v4, v6), Arbitraries.of(true, false)).as(NtAllowedIp::new);
  }

  private Arbitrary<Endpoint> endpoints() {
    Arbitrary<byte[]> v4 = Arbitraries.bytes().array(byte[].class).ofSize(4);
    return Combinators.combine(Arbitraries.oneOf(v4, v6Addresses()), Arbitraries.integers().between(1, 65535))
        .as((bytes, port) -> new Endpoint(literal(bytes), port));
  }

  /** Global and unique-local IPv6 (never IPv4-mapped, which Java folds into IPv4). */
  private Arbitrary<byte[]> v6Addresses() {
    return Combinators.combine(Arbitraries.of((byte) 0x20, (byte) 0xfd),
            Arbitraries.bytes().array(byte[].class).ofSize(15))
        .as((first, rest) -> {
          byte[] bytes = new byte[16];
          bytes[0] = first;
          System.arraycopy(rest, 0, bytes, 1, 15);
          return bytes;
        });
  }

  private Arbitrary<Key> keys() {
    return Arbitraries.bytes().array(byte[].class).ofSize(32).map(Key::fromBytes);
  }

  private static String literal(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

}
