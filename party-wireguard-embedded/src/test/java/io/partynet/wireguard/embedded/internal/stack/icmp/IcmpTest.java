package io.partynet.wireguard.embedded.internal.stack.icmp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.wireguard.embedded.internal.stack.ipv4.Ipv4;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Echo replies and unreachable messages, against a known echo request. */
class IcmpTest {
  /**
   * An echo request as Linux's ping sends it (type 8, code 0, identifier 0x1234, sequence 1,
   * payload "abcdefgh"); its checksum worked by hand per RFC 1071: 0800+1234+0001+6162+6364+6566+6768 = 1abc9,
   * folded abca, complemented 5435.
   */
  private static final byte[] REQUEST = HexFormat.of().parseHex("08005435123400016162636465666768");

  @Test
  void theKnownRequestVerifiesAndItsReplyKeepsIdentifierSequenceAndData() {
    assertTrue(Icmp.isValid(REQUEST, 0, REQUEST.length));
    byte[] out = new byte[100];
    int length = Icmp.buildEchoReply(REQUEST, 0, REQUEST.length, out, 0x0a4d0002, 0x0a4d0001, 9);
    assertEquals(20 + REQUEST.length, length);
    Ipv4.Header h = new Ipv4.Header();
    assertTrue(Ipv4.tryParse(out, 0, length, h));
    assertEquals(Ipv4.PROTOCOL_ICMP, h.protocol);
    assertEquals(0x0a4d0001, h.destinationIp);
    assertEquals(Icmp.TYPE_ECHO_REPLY, Icmp.type(out, 20));
    assertTrue(Icmp.isValid(out, 20, REQUEST.length));
    assertArrayEquals(Arrays.copyOfRange(REQUEST, 4, REQUEST.length), Arrays.copyOfRange(out, 24, length));
    // only the type changed (8 -> 0), so the checksum grows by 0x0800 (RFC 1624 incremental update)
    assertEquals(0x5435 + 0x0800, Ipv4.getShort(out, 22));
  }

  @Test
  void anUnreachableQuotesTheHeaderAndEightBytes() {
    byte[] original = new byte[60];
    Ipv4.writeHeader(original, 0, 60, 1, Ipv4.PROTOCOL_UDP, 0x0a4d0001, 0x0a4d0002);
    Ipv4.putShort(original, 20, 5000);
    Ipv4.putShort(original, 22, 6000);
    byte[] out = new byte[100];
    int length = Icmp.buildUnreachable(Icmp.CODE_PORT_UNREACHABLE, original, 0, 20, 60, out, 0x0a4d0002,
        0x0a4d0001, 0);
    assertEquals(20 + 8 + 28, length);
    assertTrue(Icmp.isValid(out, 20, length - 20));
    assertEquals(Icmp.CODE_PORT_UNREACHABLE, Icmp.code(out, 20));
    int quoted = Icmp.quotedPacketOffset(out, 20, length - 20);
    assertEquals(28, quoted);
    assertEquals(6000, Ipv4.getShort(out, quoted + 22));
  }
}
