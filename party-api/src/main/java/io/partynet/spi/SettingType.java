package io.partynet.spi;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The value types a setting can have, with their text form in the database. Durations are
 * written in the shortest exact unit ({@code 200ms}, {@code 10s}, {@code 5m}, {@code 1h}) and
 * also read in ISO-8601 ({@code PT10S}); lists of strings are comma-separated.
 *
 * <p>Immutable and thread-safe.
 */
public enum SettingType {
  STRING("a string"),
  INT("an integer"),
  LONG("a long integer"),
  BOOLEAN("a boolean (true or false)"),
  DOUBLE("a finite decimal number"),
  DURATION("a duration such as 200ms, 10s, 5m, 1h or ISO-8601 PT10S"),
  STRING_LIST("a comma-separated list");

  private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h|d)");

  private final String description;

  SettingType(String description) {
    this.description = description;
  }

  /** What a value of this type looks like, for error messages. */
  public String description() {
    return description;
  }

  /** Parses the text form; throws IllegalArgumentException naming this type when it does not fit. */
  public Object parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("expected " + description + ", got nothing");
    }
    String s = text.trim();
    try {
      return switch (this) {
        case STRING -> text;
        case INT -> Integer.parseInt(s);
        case LONG -> Long.parseLong(s);
        case BOOLEAN -> parseBoolean(s);
        case DOUBLE -> parseDouble(s);
        case DURATION -> parseDuration(s);
        case STRING_LIST -> parseList(s);
      };
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException("expected " + description + ", got '" + text + "'", e);
    }
  }

  /** The text form of {@code value}, which must be of this type's Java class. */
  public String format(Object value) {
    return switch (this) {
      case STRING -> (String) value;
      case INT -> Integer.toString((Integer) value);
      case LONG -> Long.toString((Long) value);
      case BOOLEAN -> Boolean.toString((Boolean) value);
      case DOUBLE -> formatDouble((Double) value);
      case DURATION -> formatDuration((Duration) value);
      case STRING_LIST -> formatList(value);
    };
  }

  private boolean parseBoolean(String s) {
    if (s.equalsIgnoreCase("true")) {
      return true;
    }
    if (s.equalsIgnoreCase("false")) {
      return false;
    }
    throw new IllegalArgumentException("expected " + description + ", got '" + s + "'");
  }

  private double parseDouble(String s) {
    double d = Double.parseDouble(s);
    if (!Double.isFinite(d)) {
      throw new IllegalArgumentException("expected " + description + ", got '" + s + "'");
    }
    return d;
  }

  private Duration parseDuration(String s) {
    if (s.length() > 1 && (s.charAt(0) == 'P' || s.charAt(0) == 'p')) {
      return Duration.parse(s);
    }
    Matcher m = SIMPLE_DURATION.matcher(s.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("expected " + description + ", got '" + s + "'");
    }
    long amount = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
  }

  private String formatDouble(double d) {
    if (!Double.isFinite(d)) {
      throw new IllegalArgumentException("expected " + description + ", got " + d);
    }
    return Double.toString(d);
  }

  private static String formatDuration(Duration d) {
    if (d.isNegative() || d.getNano() % 1_000_000 != 0) {
      return d.toString();
    }
    long millis = d.toMillis();
    if (millis == 0 || millis % 1000 != 0) {
      return millis + "ms";
    }
    long seconds = millis / 1000;
    if (seconds % 3600 == 0) {
      return seconds / 3600 + "h";
    }
    return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
  }

  private static List<String> parseList(String s) {
    List<String> items = new ArrayList<>();
    for (String item : s.split(",")) {
      String trimmed = item.trim();
      if (!trimmed.isEmpty()) {
        items.add(trimmed);
      }
    }
    return List.copyOf(items);
  }

  private String formatList(Object value) {
    List<?> items = (List<?>) value;
    List<String> texts = new ArrayList<>(items.size());
    for (Object item : items) {
      String text = ((String) item).trim();
      if (text.isEmpty() || text.contains(",")) {
        throw new IllegalArgumentException("list items must be non-empty and contain no comma: '" + item + "'");
      }
      texts.add(text);
    }
    return String.join(",", texts);
  }
}
