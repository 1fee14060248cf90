package io.partynet.wireguard.embedded.internal.stack.tcp;

/**
 * The bytes an application wrote that the peer has not acknowledged yet, in a fixed ring: byte 0
 * is the one at SND.UNA. Segments (first transmissions and retransmissions) copy straight out of
 * it into the packet buffer. Not thread-safe (guarded by the connection).
 */
final class SendBuffer {
  private final int capacity;
  /** Allocated on the first write and dropped on {@link #release}: idle and half-open connections hold none. */
  private byte[] ring;
  private int head;
  private int size;

  SendBuffer(int capacity) {
    this.capacity = capacity;
  }

  void release() {
    ring = null;
    size = 0;
    head = 0;
  }

  int size() {
    return size;
  }

  int free() {
    return capacity - size;
  }

  int capacity() {
    return capacity;
  }

  /** Appends up to {@code length} bytes; returns how many fit. */
  int write(byte[] src, int offset, int length) {
    int n = Math.min(length, free());
    if (n == 0) {
      return 0;
    }
    if (ring == null) {
      ring = new byte[capacity];
    }
    int tail = (head + size) % ring.length;
    int first = Math.min(n, ring.length - tail);
    System.arraycopy(src, offset, ring, tail, first);
    System.arraycopy(src, offset + first, ring, 0, n - first);
    size += n;
    return n;
  }

  /** Copies {@code length} bytes starting {@code from} bytes after SND.UNA into {@code out}. */
  void copy(int from, byte[] out, int outOffset, int length) {
    int start = (head + from) % ring.length;
    int first = Math.min(length, ring.length - start);
    System.arraycopy(ring, start, out, outOffset, first);
    System.arraycopy(ring, 0, out, outOffset + first, length - first);
  }

  /** Drops {@code n} acknowledged bytes. */
  void acknowledge(int n) {
    if (n == 0) {
      return;
    }
    head = (head + n) % ring.length;
    size -= n;
  }
}
