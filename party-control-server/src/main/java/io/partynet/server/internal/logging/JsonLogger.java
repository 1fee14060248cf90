package io.partynet.server.internal.logging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;
import org.slf4j.event.LoggingEvent;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.LoggingEventAware;

/**
 * Writes each log event as one JSON object on one line: {@code time} (ISO-8601 UTC), {@code
 * level}, {@code logger}, {@code message}, then the event's key-value fields as they were given
 * (the same fields the text format shows as {@code key=value}), and {@code error} with the
 * exception's class and message when there is one. Thread-safe: lines are written whole.
 */
final class JsonLogger extends AbstractLogger implements LoggingEventAware {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final transient Sink sink;

  /** The shared output and threshold of every logger of the provider. */
  record Sink(PrintStream out, Level threshold) {}

  JsonLogger(String name, Sink sink) {
    this.name = name;
    this.sink = sink;
  }

  static Level threshold(String text) {
    if (text == null || text.isBlank()) {
      return Level.INFO;
    }
    try {
      return Level.valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return Level.INFO;
    }
  }

  private boolean enabled(Level level) {
    return level.toInt() >= sink.threshold().toInt();
  }

  @Override
  public boolean isTraceEnabled() {
    return enabled(Level.TRACE);
  }

  @Override
  public boolean isTraceEnabled(Marker marker) {
    return isTraceEnabled();
  }

  @Override
  public boolean isDebugEnabled() {
    return enabled(Level.DEBUG);
  }

  @Override
  public boolean isDebugEnabled(Marker marker) {
    return isDebugEnabled();
  }

  @Override
  public boolean isInfoEnabled() {
    return enabled(Level.INFO);
  }

  @Override
  public boolean isInfoEnabled(Marker marker) {
    return isInfoEnabled();
  }

  @Override
  public boolean isWarnEnabled() {
    return enabled(Level.WARN);
  }

  @Override
  public boolean isWarnEnabled(Marker marker) {
    return isWarnEnabled();
  }

  @Override
  public boolean isErrorEnabled() {
    return enabled(Level.ERROR);
  }

  @Override
  public boolean isErrorEnabled(Marker marker) {
    return isErrorEnabled();
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
      Throwable throwable) {
    write(level, MessageFormatter.basicArrayFormat(pattern, arguments), List.of(), throwable);
  }

  /** The fluent API ({@code LOG.atInfo().addKeyValue(...)}) arrives here with its fields. */
  @Override
  public void log(LoggingEvent event) {
    if (!enabled(event.getLevel())) {
      return;
    }
    Object[] args = event.getArgumentArray();
    String message = args == null ? event.getMessage() : MessageFormatter.basicArrayFormat(event.getMessage(), args);
    List<KeyValuePair> fields = event.getKeyValuePairs() == null ? List.of() : event.getKeyValuePairs();
    write(event.getLevel(), message, fields, event.getThrowable());
  }

  private void write(Level level, String message, List<KeyValuePair> fields, Throwable error) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("time", Instant.now().toString());
    line.put("level", level.name());
    line.put("logger", name);
    line.put("message", message);
    for (KeyValuePair kv : fields) {
      Object value = kv.value;
      line.putIfAbsent(kv.key, value instanceof Number || value instanceof Boolean || value == null
          ? value : String.valueOf(value));
    }
    if (error != null) {
      line.put("error", error.getClass().getName() + ": " + error.getMessage());
    }
    String json;
    try {
      json = MAPPER.writeValueAsString(line);
    } catch (JsonProcessingException e) {
      json = "{\"level\":\"ERROR\",\"message\":\"unloggable event from " + name + "\"}";
    }
    sink.out().println(json);
  }
}
