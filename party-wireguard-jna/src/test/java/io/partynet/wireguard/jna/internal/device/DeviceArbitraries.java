package io.partynet.wireguard.jna.internal.device;

import io.partynet.Endpoint;
import io.partynet.IpPrefix;
import io.partynet.Key;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;

import java.util.Optional;
import java.util.OptionalInt;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** jqwik generators of the device model, shared by the netlink and UAPI codec properties. Thread-safe (stateless). */
public final class DeviceArbitraries {
  private DeviceArbitraries() {}

  public static Arbitrary<Key> keys() {
    return Arbitraries.bytes().array(byte[].class).ofSize(Key.LENGTH).map(Key::fromBytes);
  }

  /** Non-zero keys: WireGuard reports a zero preshared or private key as absent. */
  public static Arbitrary<Key> nonZeroKeys() {
    return keys().filter(k -> !k.isZero());
  }

  public static Arbitrary<IpPrefix> prefixes() {
    Arbitrary<IpPrefix> v4 = Combinators.combine(Arbitraries.bytes().array(byte[].class).ofSize(4),
        Arbitraries.integers().between(0, 32)).as((b, len) -> new IpPrefix(literal(b), len));
    Arbitrary<IpPrefix> v6 = Combinators.combine(v6Bytes(),
        Arbitraries.integers().between(0, 128)).as((b, len) -> new IpPrefix(literal(b), len));
    return Arbitraries.oneOf(v4, v6);
  }

  /** Prefixes without host bits, as a WireGuard implementation reports them back. */
  public static Arbitrary<IpPrefix> networks() {
    return prefixes().map(IpPrefix::network);
  }

  public static Arbitrary<Endpoint> endpoints() {
    Arbitrary<String> hosts = Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofSize(4).map(DeviceArbitraries::literal),
        v6Bytes().map(DeviceArbitraries::literal));
    return Combinators.combine(hosts, Arbitraries.integers().between(1, 65535)).as(Endpoint::new);
  }

  public static Arbitrary<PeerSettings> peerSettings(int maxAllowedIps) {
    return Combinators.combine(keys(), keys().optional(), endpoints().optional(),
        prefixes().list().ofMaxSize(maxAllowedIps), Arbitraries.of(true, false),
        Arbitraries.integers().between(0, 65535).optional(), Arbitraries.of(true, false), Arbitraries.of(true, false))
        .as((key, psk, endpoint, ips, replace, keepalive, remove, updateOnly) -> new PeerSettings(key, psk, endpoint, ips,
            replace, keepalive.map(OptionalInt::of).orElse(OptionalInt.empty()), remove, updateOnly));
  }

  public static Arbitrary<DeviceConfig> deviceConfigs(int maxPeers, int maxAllowedIps) {
    return Combinators.combine(keys().optional(), Arbitraries.integers().between(0, 65535).optional(),
        Arbitraries.integers().optional(), Arbitraries.of(true, false),
        peerSettings(maxAllowedIps).list().ofMaxSize(maxPeers).uniqueElements(PeerSettings::publicKey))
        .as((key, port, mark, replace, peers) -> new DeviceConfig(key,
            port.map(OptionalInt::of).orElse(OptionalInt.empty()), mark.map(OptionalInt::of).orElse(OptionalInt.empty()),
            replace, peers));
  }

  public static Arbitrary<PeerState> peerStates(int maxAllowedIps) {
    Arbitrary<Optional<Instant>> handshakes = Combinators.combine(Arbitraries.longs().between(1, 4_000_000_000L),
        Arbitraries.integers().between(0, 999_999_999)).as((s, n) -> Instant.ofEpochSecond(s, n)).optional();
    return Combinators.combine(keys(), nonZeroKeys().optional(), endpoints().optional(),
        networks().list().ofMaxSize(maxAllowedIps), Arbitraries.integers().between(0, 65535), handshakes,
        Arbitraries.longs().greaterOrEqual(0), Arbitraries.longs().greaterOrEqual(0))
        .as((key, psk, endpoint, ips, keepalive, handshake, rx, tx) ->
            new PeerState(key, psk, endpoint, ips, keepalive, handshake, rx, tx, 1));
  }

  public static Arbitrary<DeviceState> deviceStates(int maxPeers, int maxAllowedIps, boolean kernelFields) {
    Arbitrary<Optional<String>> names = kernelFields
        ? Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(15).map(Optional::of)
        : Arbitraries.just(Optional.empty());
    Arbitrary<Integer> indexes = kernelFields ? Arbitraries.integers().between(1, Integer.MAX_VALUE) : Arbitraries.just(0);
    Arbitrary<Optional<Key>> publicKeys = kernelFields ? nonZeroKeys().optional() : Arbitraries.just(Optional.empty());
    return Combinators.combine(names, indexes, nonZeroKeys().optional(), publicKeys,
        Arbitraries.integers().between(0, 65535), Arbitraries.integers(),
        peerStates(maxAllowedIps).list().ofMaxSize(maxPeers).uniqueElements(PeerState::publicKey))
        .as(DeviceState::new);
  }

  /** 16 address bytes that Java keeps as IPv6 (an IPv4-mapped address would turn into IPv4). */
  private static Arbitrary<byte[]> v6Bytes() {
    return Arbitraries.bytes().array(byte[].class).ofSize(16).filter(b -> {
      for (int i = 0; i < 10; i++) {
        if (b[i] != 0) {
          return true;
        }
      }
      return !(b[10] == (byte) 0xff && b[11] == (byte) 0xff);
    });
  }

  private static String literal(byte[] address) {
    try {
      return InetAddress.getByAddress(address).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

}
