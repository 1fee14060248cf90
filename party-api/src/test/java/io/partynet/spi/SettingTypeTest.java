package io.partynet.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class SettingTypeTest {

  @Property
  void intsRoundTrip(@ForAll int value) {
    assertEquals(value, SettingType.INT.parse(SettingType.INT.format(value)));
  }

  @Property
  void longsRoundTrip(@ForAll long value) {
    assertEquals(value, SettingType.LONG.parse(SettingType.LONG.format(value)));
  }

  @Property
  void finiteDoublesRoundTrip(@ForAll @DoubleRange(min = -1e300, max = 1e300) double value) {
    assertEquals(value, SettingType.DOUBLE.parse(SettingType.DOUBLE.format(value)));
  }

  @Property
  void durationsRoundTrip(@ForAll @LongRange(min = 0, max = 400L * 24 * 3600 * 1000) long millis,
      @ForAll @LongRange(min = 0, max = 999_999) long extraNanos) {
    Duration whole = Duration.ofMillis(millis);
    assertEquals(whole, SettingType.DURATION.parse(SettingType.DURATION.format(whole)));
    Duration fine = whole.plusNanos(extraNanos);
    assertEquals(fine, SettingType.DURATION.parse(SettingType.DURATION.format(fine)));
  }

  @Property
  void listsRoundTrip(@ForAll("items") List<String> items) {
    assertEquals(items, SettingType.STRING_LIST.parse(SettingType.STRING_LIST.format(items)));
  }

  @Provide
  Arbitrary<List<String>> items() {
    return Arbitraries.strings().withChars("abz09.:[]-_ ").ofMinLength(1).ofMaxLength(20)
        .map(String::trim).filter(s -> !s.isEmpty()).list().ofMaxSize(6);
  }

  @Property
  void arbitraryTextEitherParsesOrIsRejectedWithTheTypeNamed(@ForAll("junk") String text) {
    for (SettingType type : SettingType.values()) {
      try {
        Object value = type.parse(text);
        assertEquals(value, type.parse(type.format(value)), type + " " + text);
      } catch (IllegalArgumentException e) {
        assertTrue(e.getMessage().contains(type.description()), e.getMessage());
      }
    }
  }

  @Provide
  Arbitrary<String> junk() {
    return Arbitraries.strings().withChars("0123456789-+.eEPTHMSmshdtruefalsNIny, \t").ofMaxLength(16);
  }

  @Test
  void durationsAreWrittenInTheShortestExactUnit() {
    assertEquals("200ms", SettingType.DURATION.format(Duration.ofMillis(200)));
    assertEquals("10s", SettingType.DURATION.format(Duration.ofSeconds(10)));
    assertEquals("90s", SettingType.DURATION.format(Duration.ofSeconds(90)));
    assertEquals("5m", SettingType.DURATION.format(Duration.ofMinutes(5)));
    assertEquals("2h", SettingType.DURATION.format(Duration.ofHours(2)));
    assertEquals(Duration.ofSeconds(10), SettingType.DURATION.parse("PT10S"));
    assertEquals(Duration.ofDays(1), SettingType.DURATION.parse(" 1d "));
  }

  @Test
  void malformedValuesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> SettingType.BOOLEAN.parse("yes"));
    assertThrows(IllegalArgumentException.class, () -> SettingType.DOUBLE.parse("NaN"));
    assertThrows(IllegalArgumentException.class, () -> SettingType.INT.parse("2147483648"));
    assertThrows(IllegalArgumentException.class, () -> SettingType.DURATION.parse("10 parsecs"));
    assertThrows(IllegalArgumentException.class, () -> SettingType.STRING_LIST.format(List.of("a,b")));
  }
}
