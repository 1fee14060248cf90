package io.partynet.core.internal.nat.stun;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/** The 96-bit STUN transaction id. Immutable and thread-safe. */
public final class TransactionId {
  public static final int LENGTH = 12;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] bytes;

  private TransactionId(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A fresh id from a cryptographic random source, as RFC 8489 section 6 requires. */
  public static TransactionId random() {
    byte[] b = new byte[LENGTH];
    RANDOM.nextBytes(b);
    return new TransactionId(b);
  }

  public static TransactionId of(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("a transaction id is 12 bytes, got " + bytes.length);
    }
    return new TransactionId(bytes.clone());
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  byte byteAt(int i) {
    return bytes[i];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TransactionId t && Arrays.equals(bytes, t.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return HexFormat.of().formatHex(bytes);
  }
}
