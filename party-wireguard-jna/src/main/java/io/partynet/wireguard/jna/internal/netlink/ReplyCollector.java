package io.partynet.wireguard.jna.internal.netlink;

import io.partynet.wireguard.jna.internal.device.ErrnoException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Interprets the messages that answer one netlink request: skips other sequence numbers, keeps the
 * answers, and decides when the exchange is over (an ack, a single answer, or NLMSG_DONE after a
 * dump). A negative NLMSG_ERROR, or a dump whose NLMSG_DONE carries a negative errno (the kernel
 * reports errors found in the middle of a dump that way), becomes an {@link ErrnoException} with
 * the extended-ack text when there is one. Pure: no I/O.
 *
 * <p>Not thread-safe: one instance per exchange.
 */
final class ReplyCollector {
  private static final int NLMSGERR_ATTR_MSG = 1;
  private static final int NLM_F_CAPPED = 0x100;
  private static final int NLM_F_ACK_TLVS = 0x200;

  private final int sequence;
  private final boolean dump;
  private final boolean acked;
  private final boolean collect;
  private final String operation;
  private final List<NetlinkMessage> answers = new ArrayList<>();

  /** For a request with {@code flags} sent as {@code sequence}; {@code collect} keeps answers. */
  ReplyCollector(int sequence, int flags, boolean collect, String operation) {
    this.sequence = sequence;
    this.dump = (flags & NlMsgHdr.NLM_F_DUMP) == NlMsgHdr.NLM_F_DUMP;
    this.acked = (flags & NlMsgHdr.NLM_F_ACK) != 0;
    this.collect = collect;
    this.operation = operation;
  }

  /** Takes one received message; true when the exchange is complete. */
  boolean accept(NetlinkMessage message) throws IOException {
    NlMsgHdr h = message.header();
    if (h.sequence() != sequence) {
      return false;
    }
    switch (h.type()) {
      case NlMsgHdr.NLMSG_ERROR -> {
        checkAck(message);
        return !dump;
      }
      case NlMsgHdr.NLMSG_DONE -> {
        ByteBuffer payload = message.payloadBuffer();
        int error = payload.remaining() >= 4 ? payload.getInt() : 0;
        if (error < 0) {
          throw new ErrnoException(operation, -error, extendedAck(message, payload));
        }
        return true;
      }
      case NlMsgHdr.NLMSG_OVERRUN -> throw new IOException(operation + ": netlink reported a data overrun; retry");
      case NlMsgHdr.NLMSG_NOOP -> {
        return false;
      }
      default -> {
        if (collect) {
          answers.add(message);
        }
        return !dump && !acked && (h.flags() & NlMsgHdr.NLM_F_MULTI) == 0;
      }
    }
  }

  List<NetlinkMessage> answers() {
    return List.copyOf(answers);
  }

  private void checkAck(NetlinkMessage message) throws IOException {
    ByteBuffer payload = message.payloadBuffer();
    NlMsgErr err = NlMsgErr.parse(payload);
    if (err.error() == 0) {
      return;
    }
    int flags = message.header().flags();
    int echoed = (flags & NLM_F_CAPPED) != 0 ? 0 : Structs.align(Math.max(0, err.request().length() - NlMsgHdr.SIZE));
    if (echoed <= payload.remaining()) {
      payload.position(payload.position() + echoed);
    } else {
      payload.position(payload.limit());
    }
    throw new ErrnoException(operation, -err.error(), extendedAck(message, payload));
  }

  /** The NLMSGERR_ATTR_MSG text that follows at the buffer's position, or "" when absent or unreadable. */
  private static String extendedAck(NetlinkMessage message, ByteBuffer tlvs) {
    if ((message.header().flags() & NLM_F_ACK_TLVS) == 0) {
      return "";
    }
    try {
      return Attribute.first(Attribute.parseAll(tlvs.slice().order(tlvs.order())), NLMSGERR_ATTR_MSG)
          .map(Attribute::string).orElse("");
    } catch (MalformedNetlinkException e) {
      return "";
    }
  }
}
