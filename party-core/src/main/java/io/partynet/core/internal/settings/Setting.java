package io.partynet.core.internal.settings;

import io.partynet.spi.SettingType;
import java.time.Instant;
import java.util.Objects;

/**
 * One row of the settings database: the key, the declared type, the value in its text form and
 * when it was last written.
 *
 * <p>Immutable and thread-safe.
 */
public record Setting(String key, SettingType type, String value, Instant updatedAt) {
  public Setting {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }
}
