package io.partynet.wireguard.jna.internal.discovery;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Decodes {@code struct tpacket_stats} (linux/if_packet.h: {@code unsigned int tp_packets,
 * tp_drops}, native byte order), what {@code getsockopt(SOL_PACKET, PACKET_STATISTICS)} returns for
 * a packet socket without a ring. The kernel resets both counters on every read, and reports
 * {@code tp_packets} with the drops included. Stateless and thread-safe.
 */
final class CaptureStatistics {
  static final int BYTES = 8;

  private CaptureStatistics() {}

  /** {@code tp_drops} of the first {@code length} bytes of {@code stats}; 0 when they are too few. */
  static long drops(byte[] stats, int length) {
    if (length < BYTES || stats.length < BYTES) {
      return 0;
    }
    return Integer.toUnsignedLong(ByteBuffer.wrap(stats).order(ByteOrder.nativeOrder()).getInt(4));
  }
}
