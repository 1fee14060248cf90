package io.partynet.protocol.internal;

import java.util.Objects;
import java.util.UUID;

/**
 * The value of the {@link Protocol#IDEMPOTENCY_KEY} header: a key the client makes up for one call
 * and sends unchanged on every retry of that call, so the server can tell a retry (or a late copy
 * a proxy held back) from a new call. On the wire it is a structured-field string (RFC 8941
 * section 3.3.3), as draft-ietf-httpapi-idempotency-key-header asks: the key in double quotes,
 * for example {@code "8e03978e-40d5-43e8-bc93-6894a57f9324"}. This protocol allows 1 to
 * {@link #MAX_CHARS} visible ASCII characters other than {@code "} and {@code \}, so a key never
 * needs escaping. A value class rather than a record because it never travels as JSON (every
 * record of this package is a JSON message with a golden vector). Immutable and thread-safe.
 */
public final class IdempotencyKey {
  /** The longest key the server accepts (a UUID is 36). */
  public static final int MAX_CHARS = 64;

  private final String value;

  /**
   * @param value the key without its quotes
   * @throws IllegalArgumentException when it is empty, too long or holds other characters
   */
  public IdempotencyKey(String value) {
    this.value = Objects.requireNonNull(value, "value");
    if (value.isEmpty() || value.length() > MAX_CHARS) {
      throw new IllegalArgumentException("an idempotency key has 1 to " + MAX_CHARS + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x21 || c > 0x7e || c == '"' || c == '\\') {
        throw new IllegalArgumentException("an idempotency key is visible ASCII without '\"' or '\\'");
      }
    }
  }

  /** A new random key (a UUID): one per call, never reused for another call. */
  public static IdempotencyKey random() {
    return new IdempotencyKey(UUID.randomUUID().toString());
  }

  /**
   * Reads a header value.
   *
   * @throws IllegalArgumentException when it is not a quoted key of this protocol's form
   */
  public static IdempotencyKey parse(String header) {
    Objects.requireNonNull(header, "header");
    String trimmed = header.strip();
    if (trimmed.length() < 2 || trimmed.charAt(0) != '"' || trimmed.charAt(trimmed.length() - 1) != '"') {
      throw new IllegalArgumentException(Protocol.IDEMPOTENCY_KEY + " must be a quoted string, e.g. \""
          + "8e03978e-40d5-43e8-bc93-6894a57f9324\"");
    }
    return new IdempotencyKey(trimmed.substring(1, trimmed.length() - 1));
  }

  /** The key without its quotes. */
  public String value() {
    return value;
  }

  /** The header value: the key in double quotes. */
  public String headerValue() {
    return '"' + value + '"';
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IdempotencyKey other && value.equals(other.value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return headerValue();
  }
}
