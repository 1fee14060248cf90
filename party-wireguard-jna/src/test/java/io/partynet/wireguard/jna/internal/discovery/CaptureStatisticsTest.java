package io.partynet.wireguard.jna.internal.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class CaptureStatisticsTest {

  private static byte[] stats(int packets, int drops) {
    return ByteBuffer.allocate(CaptureStatistics.BYTES).order(ByteOrder.nativeOrder()).putInt(packets).putInt(drops)
        .array();
  }

  @Test
  void theDropsAreTheSecondNativeInt() {
    assertEquals(7, CaptureStatistics.drops(stats(400, 7), 8));
    assertEquals(0, CaptureStatistics.drops(stats(400, 0), 8));
  }

  @Test
  void unsignedAndShortAnswers() {
    assertEquals(4_294_967_295L, CaptureStatistics.drops(stats(0, -1), 8), "tp_drops is an unsigned int");
    assertEquals(0, CaptureStatistics.drops(stats(1, 2), 4), "a truncated answer counts nothing");
  }
}
