package io.partynet.core.internal.connection;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The latency probe's wire format inside the tunnel, 21 bytes: the magic {@code "PNP1"}, a type
 * (1 ping, 2 pong), a sequence number and the sender's monotonic send time, which the pong echoes
 * back unchanged (so only the sender's clock is ever compared with itself).
 *
 * @param pong false for a ping, true for its answer
 * @param seq sequence number chosen by the pinger
 * @param sentNanos the pinger's {@link System#nanoTime()} (or injected clock) at send time
 */
public record ProbeMessage(boolean pong, long seq, long sentNanos) {
  public static final int SIZE = 21;
  private static final int MAGIC = 0x504E5031; // "PNP1"

  public ByteBuffer encode() {
    ByteBuffer b = ByteBuffer.allocate(SIZE);
    b.putInt(MAGIC).put((byte) (pong ? 2 : 1)).putLong(seq).putLong(sentNanos).flip();
    return b;
  }

  /** The answer to this ping. */
  public ProbeMessage answer() {
    return new ProbeMessage(true, seq, sentNanos);
  }

  /** Decodes a datagram; anything that is not exactly a probe message is empty. */
  public static Optional<ProbeMessage> decode(byte[] datagram) {
    if (datagram.length != SIZE) {
      return Optional.empty();
    }
    ByteBuffer b = ByteBuffer.wrap(datagram);
    if (b.getInt() != MAGIC) {
      return Optional.empty();
    }
    byte type = b.get();
    if (type != 1 && type != 2) {
      return Optional.empty();
    }
    return Optional.of(new ProbeMessage(type == 2, b.getLong(), b.getLong()));
  }
}
