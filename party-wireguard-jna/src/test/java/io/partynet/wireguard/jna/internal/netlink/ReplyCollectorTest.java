package io.partynet.wireguard.jna.internal.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.wireguard.jna.internal.device.Errno;
import io.partynet.wireguard.jna.internal.device.ErrnoException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * How the answers to one request end: acks, single answers, dumps, errors with extended-ack text
 * (layout of struct nlmsgerr and NLMSGERR_ATTR_MSG from linux/netlink.h), and errors in NLMSG_DONE.
 */
class ReplyCollectorTest {
  private static final int SEQ = 42;
  private static final int REQUEST_ACK = NlMsgHdr.NLM_F_REQUEST | NlMsgHdr.NLM_F_ACK;

  private static NetlinkMessage message(int type, int flags, int seq, byte[] payload) {
    return new NetlinkMessage(new NlMsgHdr(NlMsgHdr.SIZE + payload.length, type, flags, seq, 0), payload);
  }

  private static byte[] error(int errno, int flags, String text) {
    ByteBuffer b = Structs.allocate(256);
    new NlMsgErr(-errno, new NlMsgHdr(60, 16, REQUEST_ACK, SEQ, 0)).pack(b);
    if (text != null) {
      byte[] t = (text + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8);
      new NlAttr(NlAttr.SIZE + t.length, 1).pack(b);
      b.put(t);
    }
    return java.util.Arrays.copyOf(b.array(), Structs.align(b.position()));
  }

  @Test
  void ackEndsAnAcknowledgedRequest() throws Exception {
    ReplyCollector c = new ReplyCollector(SEQ, REQUEST_ACK, false, "op");
    assertFalse(c.accept(message(NlMsgHdr.NLMSG_ERROR, 0, SEQ - 1, error(17, 0, null))), "stale sequence ignored");
    assertTrue(c.accept(message(NlMsgHdr.NLMSG_ERROR, 0x100, SEQ, error(0, 0, null))));
  }

  @Test
  void errorAckCarriesTypedErrnoAndExtendedAckText() {
    ReplyCollector c = new ReplyCollector(SEQ, REQUEST_ACK, false, "create link pnw0");
    // flags: NLM_F_CAPPED (0x100, request body not echoed) | NLM_F_ACK_TLVS (0x200)
    ErrnoException e = assertThrows(ErrnoException.class,
        () -> c.accept(message(NlMsgHdr.NLMSG_ERROR, 0x300, SEQ, error(95, 0, "Unknown device type"))));
    assertEquals(Errno.EOPNOTSUPP, e.errno());
    assertTrue(e.getMessage().contains("Unknown device type") && e.getMessage().contains("create link pnw0"), e.getMessage());
  }

  @Test
  void singleAnswerWithoutAckEndsAtOnce() throws Exception {
    ReplyCollector c = new ReplyCollector(SEQ, NlMsgHdr.NLM_F_REQUEST, true, "op");
    assertTrue(c.accept(message(16, 0, SEQ, new byte[16])));
    assertEquals(1, c.answers().size());
  }

  @Test
  void dumpCollectsUntilDone() throws Exception {
    ReplyCollector c = new ReplyCollector(SEQ, REQUEST_ACK | NlMsgHdr.NLM_F_DUMP, true, "op");
    assertFalse(c.accept(message(0x15, NlMsgHdr.NLM_F_MULTI, SEQ, new byte[8])));
    assertFalse(c.accept(message(0x15, NlMsgHdr.NLM_F_MULTI, SEQ, new byte[8])));
    assertTrue(c.accept(message(NlMsgHdr.NLMSG_DONE, NlMsgHdr.NLM_F_MULTI, SEQ, new byte[4])));
    assertEquals(2, c.answers().size());
  }

  @Test
  void dumpErrorInDoneIsTyped() {
    ReplyCollector c = new ReplyCollector(SEQ, REQUEST_ACK | NlMsgHdr.NLM_F_DUMP, true, "read WireGuard interface wg0");
    byte[] minusEnodev = Structs.allocate(4).putInt(-19).array();
    ErrnoException e = assertThrows(ErrnoException.class,
        () -> c.accept(message(NlMsgHdr.NLMSG_DONE, NlMsgHdr.NLM_F_MULTI, SEQ, minusEnodev)));
    assertEquals(Errno.ENODEV, e.errno());
  }

  @Test
  void overrunIsAnIoError() {
    ReplyCollector c = new ReplyCollector(SEQ, REQUEST_ACK, false, "op");
    assertThrows(java.io.IOException.class, () -> c.accept(message(NlMsgHdr.NLMSG_OVERRUN, 0, SEQ, new byte[0])));
  }
}
