package io.partynet.protocol.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Idempotency-Key header's wire form: a structured-field string holding the key. */
class IdempotencyKeyTest {

  @Test
  void theHeaderIsTheKeyInDoubleQuotes() {
    IdempotencyKey key = new IdempotencyKey("8e03978e-40d5-43e8-bc93-6894a57f9324");
    assertEquals("\"8e03978e-40d5-43e8-bc93-6894a57f9324\"", key.headerValue());
    assertEquals(key, IdempotencyKey.parse("\"8e03978e-40d5-43e8-bc93-6894a57f9324\""));
    assertEquals(key, IdempotencyKey.parse(" \"8e03978e-40d5-43e8-bc93-6894a57f9324\" "), "optional white space");
  }

  @Test
  void everyRandomKeyIsANewUuid() {
    IdempotencyKey first = IdempotencyKey.random();
    assertEquals(36, first.value().length());
    assertNotEquals(first, IdempotencyKey.random());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "\"\"", "abc", "\"abc", "abc\"", "\"a b\"", "\"a\\\"b\"", "\"é\"", "\"a\tb\"",
      "\"0123456789012345678901234567890123456789012345678901234567890123456789\""})
  void malformedHeadersAreRefused(String header) {
    assertThrows(IllegalArgumentException.class, () -> IdempotencyKey.parse(header));
  }

  @Provide
  Arbitrary<String> keys() {
    return Arbitraries.strings().ascii().ofMinLength(0).ofMaxLength(70);
  }

  @Property(tries = 500)
  void aKeyThatIsAcceptedReadsBackFromItsHeader(@ForAll("keys") String text) {
    IdempotencyKey key;
    try {
      key = new IdempotencyKey(text);
    } catch (IllegalArgumentException refused) {
      assertThrows(IllegalArgumentException.class, () -> IdempotencyKey.parse('"' + text + '"'));
      return;
    }
    assertEquals(key, IdempotencyKey.parse(key.headerValue()));
  }
}
