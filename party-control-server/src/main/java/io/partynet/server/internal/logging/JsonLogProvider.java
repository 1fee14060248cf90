package io.partynet.server.internal.logging;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * An SLF4J provider whose loggers write one JSON object per line to stderr ({@link JsonLogger}).
 * Not registered as a service (slf4j-simple stays the default): the server selects it by name
 * through SLF4J's {@code slf4j.provider} system property when started with {@code --log-format json}.
 */
public final class JsonLogProvider implements SLF4JServiceProvider {
  /** Where the level threshold is read from: trace, debug, info (default), warn or error. */
  public static final String LEVEL_PROPERTY = "partynet.log.level";

  private ILoggerFactory factory;
  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new NOPMDCAdapter();

  @Override
  public ILoggerFactory getLoggerFactory() {
    return factory;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {
    org.slf4j.event.Level threshold = JsonLogger.threshold(System.getProperty(LEVEL_PROPERTY));
    JsonLogger.Sink sink = new JsonLogger.Sink(System.err, threshold);
    // Jetty and Javalin narrate their start and stop at INFO: only their warnings are worth a line.
    JsonLogger.Sink quiet = new JsonLogger.Sink(System.err,
        threshold.toInt() > org.slf4j.event.Level.WARN.toInt() ? threshold : org.slf4j.event.Level.WARN);
    factory = name -> new JsonLogger(name,
        name.startsWith("org.eclipse.jetty") || name.startsWith("io.javalin") ? quiet : sink);
  }
}
