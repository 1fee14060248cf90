package io.partynet.examples.cli.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Parsing STUN Binding responses: what a server sends is read back; anything else is refused without throwing. */
class StunProbeTest {
  private static final int COOKIE = 0x2112A442;

  @Property(tries = 300)
  void aBindingResponseGivesBackTheMappedAndTheOtherAddress(@ForAll @Size(12) byte[] transaction,
      @ForAll @Size(4) byte[] ip, @ForAll @IntRange(min = 1, max = 65535) int port,
      @ForAll @Size(4) byte[] otherIp, @ForAll @IntRange(min = 1, max = 65535) int otherPort) throws Exception {
    byte[] xorIp = ip.clone();
    byte[] cookie = ByteBuffer.allocate(4).putInt(COOKIE).array();
    for (int i = 0; i < 4; i++) {
      xorIp[i] ^= cookie[i];
    }
    ByteBuffer body = ByteBuffer.allocate(24);
    body.putShort((short) 0x0020).putShort((short) 8).put((byte) 0).put((byte) 1)
        .putShort((short) (port ^ (COOKIE >>> 16))).put(xorIp);
    body.putShort((short) 0x802C).putShort((short) 8).put((byte) 0).put((byte) 1).putShort((short) otherPort)
        .put(otherIp);
    ByteBuffer message = ByteBuffer.allocate(20 + 24);
    message.putShort((short) 0x0101).putShort((short) 24).putInt(COOKIE).put(transaction).put(body.array());

    StunProbe.Answer answer = StunProbe.parse(message.array(), transaction, 3.0).orElseThrow();
    assertEquals(new InetSocketAddress(InetAddress.getByAddress(ip), port), answer.mapped());
    assertEquals(Optional.of(new InetSocketAddress(InetAddress.getByAddress(otherIp), otherPort)), answer.other());

    byte[] otherTransaction = transaction.clone();
    otherTransaction[0] ^= 1;
    assertTrue(StunProbe.parse(message.array(), otherTransaction, 3.0).isEmpty(), "another transaction's answer");
  }

  @Property(tries = 500)
  void arbitraryBytesNeverThrow(@ForAll @Size(max = 600) byte[] bytes, @ForAll @Size(12) byte[] transaction) {
    StunProbe.parse(bytes, transaction, 1.0);
  }
}
