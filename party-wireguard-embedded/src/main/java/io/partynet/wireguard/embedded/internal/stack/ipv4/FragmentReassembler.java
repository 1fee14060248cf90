package io.partynet.wireguard.embedded.internal.stack.ipv4;

/**
 * Reassembles fragmented IPv4 datagrams (RFC 791 section 3.2, RFC 815's hole idea as a bitmap of
 * 8-byte blocks) within fixed limits: at most {@code maxDatagrams} in progress, each at most
 * 65535 bytes, each given up {@code timeoutNanos} after its first fragment (RFC 1122 section
 * 3.3.2 asks for a timeout of 60 s or less). Overlapping fragments (RFC 1858's attacks) drop the
 * whole datagram. Every limit that bites is counted. Buffers are allocated once per slot and reused.
 *
 * <p>Not thread-safe: the owner serialises calls (the stack's receive path).
 */
public final class FragmentReassembler {
  private static final int MAX_DATAGRAM = 65535;
  private static final int BLOCKS = (MAX_DATAGRAM + 7) / 8;

  /** Receives a complete datagram: a 20-byte header without fragment fields, then the payload. */
  @FunctionalInterface
  public interface Output {
    void deliver(byte[] packet, int offset, int length);
  }

  private final Slot[] slots;
  private final long timeoutNanos;
  private long completed;
  private long dropped;
  private long timedOut;

  private static final class Slot {
    boolean inUse;
    int sourceIp;
    int destinationIp;
    int identification;
    int protocol;
    long startedNanos;
    /** Payload length, known once the last fragment (MF clear) arrived; -1 before. */
    int payloadLength;
    byte[] buffer;
    final long[] received = new long[(BLOCKS + 63) / 64];
  }

  public FragmentReassembler(int maxDatagrams, long timeoutNanos) {
    if (maxDatagrams < 1) {
      throw new IllegalArgumentException("maxDatagrams must be >= 1: " + maxDatagrams);
    }
    this.slots = new Slot[maxDatagrams];
    for (int i = 0; i < maxDatagrams; i++) {
      slots[i] = new Slot();
    }
    this.timeoutNanos = timeoutNanos;
  }

  /** Datagrams reassembled and delivered. */
  public long completed() {
    return completed;
  }

  /** Fragments and datagrams given up: overlaps, too large, no free slot. */
  public long dropped() {
    return dropped;
  }

  /** Datagrams given up because their fragments did not all arrive in time. */
  public long timedOut() {
    return timedOut;
  }

  /** Takes one fragment whose header was parsed into {@code header}; delivers the datagram when complete. */
  public void accept(byte[] packet, int offset, Ipv4.Header header, long nowNanos, Output output) {
    expire(nowNanos);
    int payloadLength = header.totalLength - header.headerLength;
    int start = header.fragmentOffset;
    int end = start + payloadLength;
    if (end > MAX_DATAGRAM - Ipv4.HEADER_LENGTH || (header.moreFragments && (payloadLength % 8 != 0
        || payloadLength == 0))) {
      dropped++;
      return;
    }
    Slot slot = find(header, nowNanos);
    if (slot == null) {
      dropped++;
      return;
    }
    if (!header.moreFragments) {
      if (slot.payloadLength >= 0 && slot.payloadLength != end || highestReceivedEnd(slot) > end) {
        release(slot);
        dropped++;
        return;
      }
      slot.payloadLength = end;
    } else if (slot.payloadLength >= 0 && end > slot.payloadLength) {
      release(slot);
      dropped++;
      return;
    }
    if (!markReceived(slot, start, end)) {
      release(slot);
      dropped++;
      return;
    }
    if (slot.buffer == null) {
      slot.buffer = new byte[MAX_DATAGRAM];
    }
    System.arraycopy(packet, offset + header.headerLength, slot.buffer, Ipv4.HEADER_LENGTH + start, payloadLength);
    if (start == 0) {
      System.arraycopy(packet, offset, slot.buffer, 0, Ipv4.HEADER_LENGTH);
    }
    if (slot.payloadLength >= 0 && allReceived(slot)) {
      int total = Ipv4.HEADER_LENGTH + slot.payloadLength;
      byte[] b = slot.buffer;
      b[0] = 0x45;
      Ipv4.putShort(b, 2, total);
      Ipv4.putShort(b, 6, 0);
      Ipv4.putShort(b, 10, 0);
      Ipv4.putShort(b, 10, Ipv4.checksum(b, 0, Ipv4.HEADER_LENGTH, 0));
      release(slot);
      completed++;
      output.deliver(b, 0, total);
    }
  }

  /** Gives up datagrams older than the timeout; called with every fragment and by the stack's timer. */
  public void expire(long nowNanos) {
    for (Slot s : slots) {
      if (s.inUse && nowNanos - s.startedNanos >= timeoutNanos) {
        release(s);
        timedOut++;
      }
    }
  }

  private Slot find(Ipv4.Header h, long nowNanos) {
    Slot free = null;
    for (Slot s : slots) {
      if (s.inUse) {
        if (s.sourceIp == h.sourceIp && s.destinationIp == h.destinationIp && s.identification == h.identification
            && s.protocol == h.protocol) {
          return s;
        }
      } else if (free == null) {
        free = s;
      }
    }
    if (free != null) {
      free.inUse = true;
      free.sourceIp = h.sourceIp;
      free.destinationIp = h.destinationIp;
      free.identification = h.identification;
      free.protocol = h.protocol;
      free.startedNanos = nowNanos;
      free.payloadLength = -1;
    }
    return free;
  }

  /** Marks blocks [start, end) received; false when any of them already was (an overlap). */
  private static boolean markReceived(Slot slot, int start, int end) {
    int first = start / 8;
    int last = (end + 7) / 8;
    for (int block = first; block < last; block++) {
      if ((slot.received[block >>> 6] & (1L << block)) != 0) {
        return false;
      }
    }
    for (int block = first; block < last; block++) {
      slot.received[block >>> 6] |= 1L << block;
    }
    return true;
  }

  private static int highestReceivedEnd(Slot slot) {
    for (int word = slot.received.length - 1; word >= 0; word--) {
      if (slot.received[word] != 0) {
        return (word * 64 + 64 - Long.numberOfLeadingZeros(slot.received[word])) * 8;
      }
    }
    return 0;
  }

  private static boolean allReceived(Slot slot) {
    int blocks = (slot.payloadLength + 7) / 8;
    int fullWords = blocks / 64;
    for (int w = 0; w < fullWords; w++) {
      if (slot.received[w] != -1L) {
        return false;
      }
    }
    int rest = blocks % 64;
    return rest == 0 || (slot.received[fullWords] & ((1L << rest) - 1)) == ((1L << rest) - 1);
  }

  private static void release(Slot slot) {
    slot.inUse = false;
    java.util.Arrays.fill(slot.received, 0L);
  }
}
