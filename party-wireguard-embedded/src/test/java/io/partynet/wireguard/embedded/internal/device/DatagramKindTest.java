package io.partynet.wireguard.embedded.internal.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Telling apart what shares the WireGuard socket, by the first bytes. */
class DatagramKindTest {
  private static final HexFormat HEX = HexFormat.of();

  /** RFC 5389 section 6: a Binding Request header (type 0x0001, length 0, magic cookie, transaction id). */
  @Test
  void stunBindingRequestAndResponse() {
    byte[] request = HEX.parseHex("000100002112a442" + "b7e7a701bc34d686fa87dfae");
    assertEquals(DatagramKind.STUN, DatagramKind.classify(request, 0, request.length));
    byte[] success = HEX.parseHex("010100002112a442" + "b7e7a701bc34d686fa87dfae");
    assertEquals(DatagramKind.STUN, DatagramKind.classify(success, 0, success.length));
  }

  /** RFC 5766 section 11.4: ChannelData with channel number 0x4000 and a 4-byte payload. */
  @Test
  void turnChannelData() {
    byte[] channelData = HEX.parseHex("40000004deadbeef");
    assertEquals(DatagramKind.TURN_CHANNEL_DATA, DatagramKind.classify(channelData, 0, channelData.length));
  }

  @Test
  void wireGuardMessagesByTypeAndLength() {
    assertEquals(DatagramKind.WIREGUARD, DatagramKind.classify(message(1, 148), 0, 148));
    assertEquals(DatagramKind.WIREGUARD, DatagramKind.classify(message(2, 92), 0, 92));
    assertEquals(DatagramKind.WIREGUARD, DatagramKind.classify(message(3, 64), 0, 64));
    assertEquals(DatagramKind.WIREGUARD, DatagramKind.classify(message(4, 32), 0, 32));
    assertEquals(DatagramKind.UNKNOWN, DatagramKind.classify(message(1, 147), 0, 147));
    byte[] nonZeroReserved = message(4, 40);
    nonZeroReserved[2] = 1;
    assertEquals(DatagramKind.UNKNOWN, DatagramKind.classify(nonZeroReserved, 0, 40));
  }

  @Property(tries = 500)
  void anyBytesClassifyWithoutThrowing(@ForAll @Size(max = 200) byte[] junk) {
    assertNotNull(DatagramKind.classify(junk, 0, junk.length));
  }

  private static byte[] message(int type, int length) {
    byte[] m = new byte[length];
    m[0] = (byte) type;
    return m;
  }
}
