package io.partynet.wireguard.jna.internal.nt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Endpoint;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NtConfigCodecTest {

  @Test
  void sampleEncodesToTheBytesMingwBuilt() {
    ByteBuffer encoded = NtConfigCodec.encode(MingwVectors.sampleConfig());
    byte[] bytes = new byte[encoded.remaining()];
    encoded.get(bytes);
    assertEquals(MingwVectors.SAMPLE_CONFIG_BYTES.length, bytes.length);
    assertEquals(HexFormat.of().formatHex(MingwVectors.SAMPLE_CONFIG_BYTES), HexFormat.of().formatHex(bytes));
    assertEquals(472, NtConfigCodec.encodedSize(MingwVectors.sampleConfig()));
  }

  @Test
  void mingwBytesDecodeToTheSample() throws Exception {
    assertEquals(MingwVectors.sampleConfig(), NtConfigCodec.decode(ByteBuffer.wrap(MingwVectors.SAMPLE_CONFIG_BYTES)));
  }

  /** The driver fills Reserved with its protocol version (1), counters, and leaves unflagged fields alone. */
  @Test
  void decodesWhatTheDriverReports() throws Exception {
    byte[] bytes = MingwVectors.SAMPLE_CONFIG_BYTES.clone();
    ByteBuffer view = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int peer1 = NtStructs.Interface.SIZE;
    int peer2 = peer1 + NtStructs.Peer.SIZE + 3 * NtStructs.AllowedIp.SIZE;
    // 2026-11-24T22:00:00Z as FILETIME: (1795557600 s + 11644473600 s) * 10^7.
    long handshake = (1_795_557_600L + 11_644_473_600L) * 10_000_000L;
    view.putInt(peer1 + NtStructs.Peer.RESERVED, 1);
    view.putLong(peer1 + NtStructs.Peer.TX_BYTES, 1234);
    view.putLong(peer1 + NtStructs.Peer.RX_BYTES, -1L); // DWORD64 max keeps its bits
    view.putLong(peer1 + NtStructs.Peer.LAST_HANDSHAKE, handshake);
    view.putInt(peer2 + NtStructs.Peer.RESERVED, 1);
    // Stale bytes in fields whose flag is clear must be ignored (peer 2 has no preshared key).
    view.put(peer2 + NtStructs.Peer.PRESHARED_KEY, (byte) 0x5a);

    NtInterface decoded = NtConfigCodec.decode(ByteBuffer.wrap(bytes));

    NtPeer first = decoded.peers().get(0);
    assertEquals(1234, first.txBytes());
    assertEquals(-1L, first.rxBytes());
    assertEquals(Optional.of(Instant.parse("2026-11-24T22:00:00Z")), first.lastHandshake());
    assertEquals(Optional.of(Endpoint.parse("192.0.2.1:51820")), first.endpoint());
    NtPeer second = decoded.peers().get(1);
    assertEquals(Optional.empty(), second.presharedKey());
    assertEquals(Optional.empty(), second.lastHandshake());
    assertEquals(Optional.of(Endpoint.parse("[2001:db8::1]:51821")), second.endpoint());
  }

  @Test
  void peersOnlyBufferLeavesTheInterfaceAlone() {
    NtPeer removal = NtPeer.builder(MingwVectors.sequenceKey(7)).remove(true).build();
    ByteBuffer encoded = NtConfigCodec.encode(NtInterface.peersOnly(java.util.List.of(removal)))
        .order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(NtStructs.Interface.SIZE + NtStructs.Peer.SIZE, encoded.remaining());
    assertEquals(0, encoded.getInt(NtStructs.Interface.FLAGS));
    assertEquals(1, encoded.getInt(NtStructs.Interface.PEERS_COUNT));
    assertEquals(NtStructs.Peer.HAS_PUBLIC_KEY | NtStructs.Peer.REMOVE,
        encoded.getInt(NtStructs.Interface.SIZE + NtStructs.Peer.FLAGS));
  }

  @Test
  void rejectsABufferShorterThanTheInterface() {
    NtConfigFormatException e = assertThrows(NtConfigFormatException.class,
        () -> NtConfigCodec.decode(ByteBuffer.allocate(79)));
    assertTrue(e.getMessage().contains("WIREGUARD_INTERFACE at offset 0 needs 80 bytes"), e.getMessage());
  }

  @Test
  void rejectsATruncatedPeerList() {
    byte[] truncated = java.util.Arrays.copyOf(MingwVectors.SAMPLE_CONFIG_BYTES, 471);
    NtConfigFormatException e = assertThrows(NtConfigFormatException.class,
        () -> NtConfigCodec.decode(ByteBuffer.wrap(truncated)));
    assertTrue(e.getMessage().contains("announces"), e.getMessage());
  }

  @Test
  void rejectsAHugePeerCountWithoutAllocating() {
    ByteBuffer buffer = ByteBuffer.allocate(NtStructs.Interface.SIZE).order(ByteOrder.LITTLE_ENDIAN);
    buffer.putInt(NtStructs.Interface.PEERS_COUNT, -1);
    NtConfigFormatException e = assertThrows(NtConfigFormatException.class, () -> NtConfigCodec.decode(buffer));
    assertTrue(e.getMessage().contains("announces 4294967295 peers"), e.getMessage());
  }

  @Test
  void rejectsTrailingBytes() {
    byte[] longer = java.util.Arrays.copyOf(MingwVectors.SAMPLE_CONFIG_BYTES, 480);
    NtConfigFormatException e = assertThrows(NtConfigFormatException.class,
        () -> NtConfigCodec.decode(ByteBuffer.wrap(longer)));
    assertTrue(e.getMessage().contains("8 unexpected bytes after the last struct at offset 472"), e.getMessage());
  }

  @Test
  void rejectsAPeerWithoutPublicKey() {
    byte[] bytes = MingwVectors.SAMPLE_CONFIG_BYTES.clone();
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(NtStructs.Interface.SIZE, 0);
    NtConfigFormatException e = assertThrows(NtConfigFormatException.class,
        () -> NtConfigCodec.decode(ByteBuffer.wrap(bytes)));
    assertTrue(e.getMessage().contains("WIREGUARD_PEER #0 at offset 80 has no public key"), e.getMessage());
  }

  @Test
  void rejectsAnUnknownAllowedIpFamily() {
    byte[] bytes = MingwVectors.SAMPLE_CONFIG_BYTES.clone();
    int firstAllowedIp = NtStructs.Interface.SIZE + NtStructs.Peer.SIZE;
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)
        .putShort(firstAllowedIp + NtStructs.AllowedIp.ADDRESS_FAMILY, (short) 17);
    NtConfigFormatException e = assertThrows(NtConfigFormatException.class,
        () -> NtConfigCodec.decode(ByteBuffer.wrap(bytes)));
    assertTrue(e.getMessage().contains("allowed IP #0 at offset 216 has address family 17"), e.getMessage());
  }

  @Test
  void rejectsAPrefixLongerThanTheAddress() {
    byte[] bytes = MingwVectors.SAMPLE_CONFIG_BYTES.clone();
    bytes[NtStructs.Interface.SIZE + NtStructs.Peer.SIZE + NtStructs.AllowedIp.CIDR] = 33;
    NtConfigFormatException e = assertThrows(NtConfigFormatException.class,
        () -> NtConfigCodec.decode(ByteBuffer.wrap(bytes)));
    assertTrue(e.getMessage().contains("prefix length 33, more than the 32 bits"), e.getMessage());
  }

  @Test
  void rejectsAnEndpointOfUnknownFamilyOrPortZero() {
    byte[] family = MingwVectors.SAMPLE_CONFIG_BYTES.clone();
    family[NtStructs.Interface.SIZE + NtStructs.Peer.ENDPOINT] = 1;
    NtConfigFormatException e = assertThrows(NtConfigFormatException.class,
        () -> NtConfigCodec.decode(ByteBuffer.wrap(family)));
    assertTrue(e.getMessage().contains("endpoint at offset 156 has address family 1"), e.getMessage());

    byte[] port = MingwVectors.SAMPLE_CONFIG_BYTES.clone();
    port[NtStructs.Interface.SIZE + NtStructs.Peer.ENDPOINT + NtStructs.SockaddrInet.PORT] = 0;
    port[NtStructs.Interface.SIZE + NtStructs.Peer.ENDPOINT + NtStructs.SockaddrInet.PORT + 1] = 0;
    e = assertThrows(NtConfigFormatException.class, () -> NtConfigCodec.decode(ByteBuffer.wrap(port)));
    assertTrue(e.getMessage().contains("has port 0"), e.getMessage());
  }

  @Test
  void rejectsAnIpv4MappedAllowedIp() {
    byte[] bytes = MingwVectors.SAMPLE_CONFIG_BYTES.clone();
    int v6AllowedIp = NtStructs.Interface.SIZE + NtStructs.Peer.SIZE + 2 * NtStructs.AllowedIp.SIZE;
    byte[] mapped = HexFormat.of().parseHex("00000000000000000000ffffc0000201");
    System.arraycopy(mapped, 0, bytes, v6AllowedIp, 16);
    NtConfigFormatException e = assertThrows(NtConfigFormatException.class,
        () -> NtConfigCodec.decode(ByteBuffer.wrap(bytes)));
    assertTrue(e.getMessage().contains("IPv4-mapped"), e.getMessage());
  }

  @Test
  void toStringShowsNoKeyMaterial() {
    String text = MingwVectors.sampleConfig().toString();
    assertTrue(!text.contains(MingwVectors.sequenceKey(0x01).toBase64()) && text.contains("Key(32 bytes)"), text);
  }

  @Test
  void fileTimeOfTheUnixEpoch() {
    assertEquals(Optional.of(Instant.EPOCH), FileTimes.toInstant(FileTimes.UNIX_EPOCH_TICKS));
    assertEquals(Optional.of(Instant.parse("1601-01-01T00:00:00.0000001Z")), FileTimes.toInstant(1));
    assertEquals(Optional.empty(), FileTimes.toInstant(0), "0 means no handshake");
  }
}
