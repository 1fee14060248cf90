package io.partynet.wireguard.embedded.internal.device;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Whether the device is under load: more than {@code threshold} handshake messages in the current
 * one-second window make it demand MAC2 (a cookie) before doing any Curve25519 work, as
 * wireguard-go's {@code IsUnderLoad} does.
 *
 * <p>Not thread-safe: the device's receive thread only.
 */
final class HandshakeLoad {
  private final int threshold;
  private long windowStart;
  private int messagesInWindow;

  /** @param threshold handshake messages per second above which the device is under load; 0: always */
  HandshakeLoad(int threshold) {
    this.threshold = threshold;
  }

  /** Counts one handshake message at {@code now} (nanoseconds) and tells whether the device is under load. */
  boolean countAndCheck(long now) {
    if (now - windowStart >= TimeUnit.SECONDS.toNanos(1)) {
      windowStart = now;
      messagesInWindow = 0;
    }
    messagesInWindow++;
    return messagesInWindow > threshold;
  }

  /** The source as MAC2 and cookies bind it: IP address bytes, then the port big-endian. */
  static byte[] sourceBytes(InetSocketAddress source) {
    byte[] ip = source.getAddress().getAddress();
    byte[] out = new byte[ip.length + 2];
    System.arraycopy(ip, 0, out, 0, ip.length);
    out[ip.length] = (byte) (source.getPort() >>> 8);
    out[ip.length + 1] = (byte) source.getPort();
    return out;
  }
}
