package io.partynet.wireguard.embedded.internal.stack.tcp;

/** Sequence-number arithmetic modulo 2^32 (RFC 9293 section 3.4): comparisons by signed difference. */
final class Seq {
  private Seq() {}

  static boolean lt(int a, int b) {
    return a - b < 0;
  }

  static boolean le(int a, int b) {
    return a - b <= 0;
  }

  static boolean gt(int a, int b) {
    return a - b > 0;
  }

  static boolean ge(int a, int b) {
    return a - b >= 0;
  }

  static int max(int a, int b) {
    return gt(a, b) ? a : b;
  }

  /** Whether {@code low <= x < high} on the circle. */
  static boolean inRange(int x, int low, int high) {
    return le(low, x) && lt(x, high);
  }
}
