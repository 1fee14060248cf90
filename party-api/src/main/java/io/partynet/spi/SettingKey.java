package io.partynet.spi;

import io.partynet.Endpoint;
import io.partynet.PartyConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A named, typed setting with its default value and an optional rule that valid values follow:
 * how the SDK and its plug-ins (control planes, network backends) declare every setting they read,
 * instead of parsing {@link PartyConfig#setting} text by hand. {@link #from} reads it from a
 * configuration; {@link #parse} turns the text form into the value and rejects bad text with an
 * IllegalArgumentException that names the key, the expected type and the rule.
 *
 * <p>Immutable and thread-safe (when the rule is).
 *
 * @param <T> the Java type of the value
 */
public final class SettingKey<T> {
  private final String name;
  private final SettingType type;
  private final Class<T> javaType;
  private final T defaultValue;
  private final Predicate<? super T> rule;
  private final String ruleDescription;

  private SettingKey(String name, SettingType type, Class<T> javaType, T defaultValue,
      Predicate<? super T> rule, String ruleDescription) {
    if (name == null || !name.matches("[a-z0-9][a-z0-9.-]{0,127}")) {
      throw new IllegalArgumentException("setting names are lower-case dotted words: " + name);
    }
    this.name = name;
    this.type = Objects.requireNonNull(type, "type");
    this.javaType = javaType;
    this.defaultValue = Objects.requireNonNull(defaultValue, "defaultValue");
    this.rule = rule;
    this.ruleDescription = ruleDescription;
    check(defaultValue, type.format(defaultValue));
  }

  public static SettingKey<String> ofString(String name, String defaultValue) {
    return new SettingKey<>(name, SettingType.STRING, String.class, defaultValue, v -> true, "");
  }

  public static SettingKey<Integer> ofInt(String name, int defaultValue, int min, int max) {
    return new SettingKey<>(name, SettingType.INT, Integer.class, defaultValue,
        v -> v >= min && v <= max, "in " + min + ".." + max);
  }

  public static SettingKey<Long> ofLong(String name, long defaultValue) {
    return new SettingKey<>(name, SettingType.LONG, Long.class, defaultValue, v -> true, "");
  }

  public static SettingKey<Boolean> ofBoolean(String name, boolean defaultValue) {
    return new SettingKey<>(name, SettingType.BOOLEAN, Boolean.class, defaultValue, v -> true, "");
  }

  public static SettingKey<Double> ofDouble(String name, double defaultValue) {
    return new SettingKey<>(name, SettingType.DOUBLE, Double.class, defaultValue, v -> true, "");
  }

  /** A duration that must be positive. */
  public static SettingKey<Duration> ofDuration(String name, Duration defaultValue) {
    return new SettingKey<>(name, SettingType.DURATION, Duration.class, defaultValue,
        v -> !v.isNegative() && !v.isZero(), "and positive");
  }

  /**
   * An address setting, empty by default: empty or an IPv4 or IPv6 literal (surrounding white
   * space allowed; strip it before use). A host name is refused, never resolved.
   */
  public static SettingKey<String> ofAddress(String name) {
    return new SettingKey<>(name, SettingType.STRING, String.class, "", SettingKey::isAddressOrEmpty,
        "that is empty or an IP literal such as 192.168.1.20");
  }

  /** A URL setting, empty by default: empty or an absolute http:// or https:// URL with a host. */
  public static SettingKey<String> ofHttpUrl(String name) {
    return new SettingKey<>(name, SettingType.STRING, String.class, "", v -> v.isEmpty() || isHttpUrl(v),
        "that is empty or an absolute http(s) URL");
  }

  /** A list of at most {@code max} absolute http:// or https:// URLs, empty by default. */
  public static SettingKey<List<String>> ofHttpUrls(String name, int max) {
    return ofStringList(name, List.of()).requiring(v -> v.size() <= max && v.stream().allMatch(SettingKey::isHttpUrl),
        "of at most " + max + " absolute http(s) URLs");
  }

  @SuppressWarnings("unchecked")
  public static SettingKey<List<String>> ofStringList(String name, List<String> defaultValue) {
    return new SettingKey<>(name, SettingType.STRING_LIST, (Class<List<String>>) (Class<?>) List.class,
        List.copyOf(defaultValue), v -> true, "");
  }

  /** This key with an extra rule; {@code description} completes "must be <type> ...". */
  public SettingKey<T> requiring(Predicate<? super T> extra, String description) {
    Predicate<? super T> previous = rule;
    Predicate<T> both = v -> previous.test(v) && extra.test(v);
    String text = ruleDescription.isEmpty() ? description : ruleDescription + ", " + description;
    return new SettingKey<>(name, type, javaType, defaultValue, both, text);
  }

  public String name() {
    return name;
  }

  public SettingType type() {
    return type;
  }

  public T defaultValue() {
    return defaultValue;
  }

  /** The text form of the default, as stored in the database. */
  public String defaultText() {
    return type.format(defaultValue);
  }

  /** Parses and checks {@code text}; the error names this key, the type and the rule. */
  public T parse(String text) {
    T value;
    try {
      value = javaType.cast(type.parse(text));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(expectation(text), e);
    }
    check(value, text);
    return value;
  }

  /**
   * This setting's value in {@code config}: its text parsed and checked, or the default when it is
   * not set. A bad value fails with an IllegalArgumentException that names the key, type and rule.
   */
  public T from(PartyConfig config) {
    String text = config.settings().get(name);
    return text == null ? defaultValue : parse(text);
  }

  /** The text form of {@code value} after checking it against the rule. */
  public String format(T value) {
    Objects.requireNonNull(value, () -> "setting '" + name + "' cannot be null");
    String text;
    try {
      text = type.format(javaType.cast(value));
    } catch (ClassCastException | IllegalArgumentException e) {
      throw new IllegalArgumentException(expectation(String.valueOf(value)), e);
    }
    check(value, text);
    return text;
  }

  private static boolean isHttpUrl(String text) {
    URI uri = URI.create(text);
    return uri.isAbsolute() && uri.getHost() != null
        && (uri.getScheme().equals("http") || uri.getScheme().equals("https"));
  }

  private static boolean isAddressOrEmpty(String text) {
    String address = text.strip();
    return address.isEmpty() || new Endpoint(address, 1).host() != null; // Endpoint accepts IP literals only
  }

  private void check(T value, String text) {
    boolean ok;
    try {
      ok = rule.test(value);
    } catch (RuntimeException e) {
      ok = false;
    }
    if (!ok) {
      throw new IllegalArgumentException(expectation(text));
    }
  }

  private String expectation(String text) {
    return "setting '" + name + "' must be " + type.description()
        + (ruleDescription.isEmpty() ? "" : " " + ruleDescription) + ", got '" + text + "'";
  }

  @Override
  public String toString() {
    return name + " (" + type + ", default " + defaultText() + ")";
  }
}
