package io.partynet;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A 32-byte WireGuard key (Curve25519 public or private key, or a preshared key), encoded in
 * base64 as WireGuard writes it. {@link #toString()} never prints key material, so a key that
 * ends up in a log line leaks nothing; {@link #equals} compares in constant time.
 *
 * <p>Immutable and thread-safe.
 */
public final class Key {
  /** The length of every WireGuard key, in bytes. */
  public static final int LENGTH = 32;

  private final byte[] bytes;

  private Key(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * A key from its raw bytes (copied).
   *
   * @param bytes exactly {@link #LENGTH} bytes
   * @return the key
   * @throws IllegalArgumentException for any other length
   */
  public static Key fromBytes(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("a WireGuard key is 32 bytes, got " + bytes.length);
    }
    return new Key(bytes.clone());
  }

  /**
   * Parses the 44-character base64 form WireGuard uses ({@code wg genkey} output).
   *
   * @param base64 the key in base64; surrounding blanks are ignored
   * @return the key
   * @throws IllegalArgumentException when it is not 32 bytes in base64 (the message never echoes it)
   */
  public static Key fromBase64(String base64) {
    Objects.requireNonNull(base64, "base64");
    String s = base64.trim();
    if (s.length() != 44 || s.charAt(43) != '=') {
      throw new IllegalArgumentException("a WireGuard key is 44 base64 characters ending in '='");
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a WireGuard key must be valid base64", e);
    }
    if (decoded.length != LENGTH) {
      // 44 characters ending in "==" decode to 31 bytes.
      throw new IllegalArgumentException("a WireGuard key is 32 bytes, this base64 holds " + decoded.length);
    }
    return new Key(decoded);
  }

  /**
   * Parses the 64-character hex form the userspace API uses.
   *
   * @param hex the key in hex
   * @return the key
   * @throws IllegalArgumentException when it is not 64 hex digits
   */
  public static Key fromHex(String hex) {
    Objects.requireNonNull(hex, "hex");
    if (hex.length() != 64) {
      throw new IllegalArgumentException("a WireGuard key is 64 hex characters");
    }
    try {
      return new Key(HexFormat.of().parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a WireGuard key must be valid hex", e);
    }
  }

  /**
   * Whether {@code text} is a well-formed base64 WireGuard key.
   *
   * @param text the candidate
   * @return true when {@link #fromBase64} accepts it
   */
  public static boolean isValidBase64(String text) {
    try {
      fromBase64(text);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * The raw key.
   *
   * @return a new array of {@link #LENGTH} bytes
   */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /**
   * The base64 form WireGuard tools read and write.
   *
   * @return 44 characters
   */
  public String toBase64() {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /**
   * The hex form of WireGuard's userspace API.
   *
   * @return 64 lower-case hex digits
   */
  public String toHex() {
    return HexFormat.of().formatHex(bytes);
  }

  /**
   * Whether this is WireGuard's "no key".
   *
   * @return true when all 32 bytes are zero
   */
  public boolean isZero() {
    int acc = 0;
    for (byte b : bytes) {
      acc |= b;
    }
    return acc == 0;
  }

  /** Equal keys have equal bytes; compared in constant time. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Key other && MessageDigest.isEqual(bytes, other.bytes);
  }

  /** Consistent with {@link #equals}. */
  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** Never shows key material; use {@link #toBase64()} where the encoding is really wanted. */
  @Override
  public String toString() {
    return "Key(32 bytes)";
  }
}
