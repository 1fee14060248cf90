package io.partynet;

import io.partynet.spi.PartyManagerFactory;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the SDK implementation (a {@link PartyManagerFactory}) the way SLF4J 2 finds its
 * provider: an explicit choice wins (a factory passed to the builder, else the system property
 * {@value #FACTORY_PROPERTY} naming a factory class); otherwise {@link ServiceLoader} discovery,
 * where a provider that cannot be loaded or instantiated is reported and skipped instead of
 * breaking discovery, and several providers draw a warning that says which one is used and how to
 * choose. Every message points to {@code docs/providers.md}.
 *
 * <p>Stateless and thread-safe.
 */
final class Implementations {
  /** System property: the class name of the {@link PartyManagerFactory} to use. */
  static final String FACTORY_PROPERTY = "partynet.factory";
  /** The documentation page every message of this class links to. */
  static final String DOCS = "docs/providers.md";
  /** A class path with more broken service entries than this is not worth iterating further. */
  private static final int MAX_LOAD_ERRORS = 32;
  private static final Logger LOG = LoggerFactory.getLogger(Implementations.class);

  /** The factory chosen, and what is wrong with the class path (to be logged as warnings). */
  record Found(PartyManagerFactory factory, List<String> warnings) {
    Found {
      warnings = List.copyOf(warnings);
    }
  }

  private Implementations() {}

  /**
   * The factory to use: {@code explicit} when not null, else the one the system property names,
   * else the one discovered through the context class loader; warnings are logged.
   *
   * @throws BackendUnavailableException when none can be found or the chosen one cannot be made
   */
  static PartyManagerFactory find(PartyManagerFactory explicit) {
    Found found = find(explicit, System.getProperty(FACTORY_PROPERTY), Thread.currentThread().getContextClassLoader());
    found.warnings().forEach(LOG::warn);
    return found.factory();
  }

  /** {@link #find(PartyManagerFactory)} with the property value and class loader given, for tests. */
  static Found find(PartyManagerFactory explicit, String propertyValue, ClassLoader loader) {
    if (explicit != null) {
      return new Found(explicit, List.of());
    }
    List<String> warnings = new ArrayList<>();
    List<PartyManagerFactory> discovered = discover(loader, warnings);
    if (propertyValue != null && !propertyValue.isBlank()) {
      return new Found(named(propertyValue.strip(), discovered, loader), warnings);
    }
    if (discovered.isEmpty()) {
      throw new BackendUnavailableException("No PartyNet implementation found: add io.partynet:party-core to the"
          + " class path." + (warnings.isEmpty() ? "" : " " + warnings.size() + " could not be loaded: "
          + String.join(" ", warnings)) + " See " + DOCS + "#no-implementation");
    }
    PartyManagerFactory chosen = discovered.get(0);
    if (discovered.size() > 1) {
      warnings.add("Several PartyNet implementations are on the class path: " + classNames(discovered)
          + "; using " + chosen.getClass().getName() + ". Choose one with -D" + FACTORY_PROPERTY
          + "=<class name> or PartyManager.builder().factory(...). See " + DOCS + "#several-implementations");
    }
    return new Found(chosen, warnings);
  }

  private static List<PartyManagerFactory> discover(ClassLoader loader, List<String> warnings) {
    List<PartyManagerFactory> found = new ArrayList<>();
    Iterator<PartyManagerFactory> it = ServiceLoader.load(PartyManagerFactory.class, loader).iterator();
    int errors = 0;
    while (errors < MAX_LOAD_ERRORS) {
      try {
        if (!it.hasNext()) {
          break;
        }
        found.add(it.next());
      } catch (ServiceConfigurationError | LinkageError e) {
        // The lazy iterator goes on with the next entry after a failure (ServiceLoader's contract).
        errors++;
        // The error names the provider; its cause (a constructor's exception) says what is wrong.
        warnings.add("Skipped a PartyNet implementation that cannot be loaded: " + e
            + (e.getCause() == null ? "" : " (" + e.getCause() + ")") + ". See " + DOCS + "#broken-implementation");
      }
    }
    return found;
  }

  /** The factory the system property names: a discovered one of that class, else made by reflection. */
  private static PartyManagerFactory named(String className, List<PartyManagerFactory> discovered, ClassLoader loader) {
    for (PartyManagerFactory factory : discovered) {
      if (factory.getClass().getName().equals(className)) {
        return factory;
      }
    }
    Class<?> type;
    try {
      type = Class.forName(className, true, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw cannotUse(className, e, discovered);
    }
    if (!PartyManagerFactory.class.isAssignableFrom(type)) {
      throw new BackendUnavailableException(FACTORY_PROPERTY + "=" + className + " is not a "
          + PartyManagerFactory.class.getName() + ". See " + DOCS + "#explicit-choice");
    }
    try {
      return (PartyManagerFactory) type.getConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      throw cannotUse(className, e, discovered);
    }
  }

  private static BackendUnavailableException cannotUse(String className, Throwable cause,
      List<PartyManagerFactory> discovered) {
    // A constructor that throws arrives wrapped; its own exception says what is wrong.
    Throwable reason = cause instanceof InvocationTargetException thrown && thrown.getCause() != null
        ? thrown.getCause() : cause;
    return new BackendUnavailableException(FACTORY_PROPERTY + "=" + className + " cannot be used: " + reason
        + ". Discovered: " + (discovered.isEmpty() ? "none" : classNames(discovered))
        + ". See " + DOCS + "#explicit-choice", reason);
  }

  private static String classNames(List<PartyManagerFactory> factories) {
    return factories.stream().map(f -> f.getClass().getName()).collect(Collectors.joining(", "));
  }
}
