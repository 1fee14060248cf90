package io.partynet.core.internal.spi;

import io.partynet.BackendUnavailableException;
import io.partynet.PartyConfig;
import io.partynet.spi.ControlPlaneProvider;
import io.partynet.spi.NetworkBackendProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and picks providers the way SLF4J and OSHI do: an explicit setting names the one to use
 * ({@code network.backend}, {@code control.mode}); {@code network.backend=auto} takes the available
 * backend with the highest priority; {@code off} means none. Every provider is instantiated and
 * probed defensively, so one broken jar on the class path is reported and skipped instead of
 * breaking discovery. When nothing fits, the error lists what is on the class path and why each
 * candidate cannot run.
 *
 * <p>Stateless and thread-safe.
 */
public final class Providers {
  /** {@code network.backend} value: the available backend with the highest priority. */
  public static final String AUTO = "auto";
  /** {@code network.backend} value: no network at all, membership only. */
  public static final String OFF = "off";

  private static final Logger LOG = LoggerFactory.getLogger(Providers.class);
  /** A class path with more broken service entries than this is not worth iterating further. */
  private static final int MAX_LOAD_ERRORS = 32;

  private Providers() {}

  /** Every provider of {@code type} that {@code loader} can instantiate; broken ones are logged and skipped. */
  public static <T> List<T> load(Class<T> type, ClassLoader loader) {
    List<T> found = new ArrayList<>();
    Iterator<T> it = ServiceLoader.load(type, loader).iterator();
    int errors = 0;
    while (errors < MAX_LOAD_ERRORS) {
      try {
        if (!it.hasNext()) {
          break;
        }
        found.add(it.next());
      } catch (ServiceConfigurationError | LinkageError e) {
        errors++;
        LOG.warn("skipping a {} that cannot be loaded: {}", type.getSimpleName(), e.toString());
      }
    }
    return found;
  }

  /**
   * The backend {@code config.networkBackend()} selects: empty for {@code off}.
   *
   * @throws BackendUnavailableException when the named backend is absent or cannot run here, or
   *     when {@code auto} finds nothing that can run
   */
  public static Optional<NetworkBackendProvider> selectNetworkBackend(PartyConfig config,
      Iterable<NetworkBackendProvider> candidates) {
    String wanted = config.networkBackend().trim().toLowerCase(Locale.ROOT);
    if (wanted.equals(OFF)) {
      return Optional.empty();
    }
    List<Probe> probes = new ArrayList<>();
    for (NetworkBackendProvider provider : candidates) {
      probes.add(Probe.of(provider, config));
    }
    if (wanted.equals(AUTO)) {
      Optional<Probe> best = probes.stream().filter(Probe::available)
          .max(Comparator.comparingInt(Probe::priority));
      if (best.isEmpty()) {
        throw new BackendUnavailableException("No network backend can run here (network.backend=auto). "
            + describe(probes) + " Fix one of them, or set network.backend=off to run membership only.");
      }
      LOG.info("network.backend=auto picked '{}' (priority {})", best.get().name(), best.get().priority());
      return Optional.of(best.get().provider());
    }
    List<Probe> named = probes.stream().filter(p -> p.name().equalsIgnoreCase(wanted)).toList();
    if (named.isEmpty()) {
      throw new BackendUnavailableException("network.backend=" + wanted + " is not on the class path. "
          + describe(probes) + " Add the module that provides it, or pick another backend.");
    }
    if (named.size() > 1) {
      LOG.warn("{} providers are named network backend '{}'; using {}", named.size(), wanted,
          named.get(0).provider().getClass().getName());
    }
    Probe chosen = named.get(0);
    if (!chosen.available()) {
      throw new BackendUnavailableException("Network backend '" + chosen.name() + "' cannot run here: "
          + chosen.reason() + " " + describe(probes));
    }
    return Optional.of(chosen.provider());
  }

  /**
   * The control plane named {@code mode}.
   *
   * @throws BackendUnavailableException when no provider of that name is on the class path
   */
  public static ControlPlaneProvider selectControlPlane(String mode, Iterable<ControlPlaneProvider> candidates) {
    List<ControlPlaneProvider> all = new ArrayList<>();
    candidates.forEach(all::add);
    return findControlPlane(mode, all).orElseThrow(() -> new BackendUnavailableException(
        "control.mode=" + mode + " but no such control plane is on the class path. "
            + (all.isEmpty() ? "No control plane is on the class path at all: add io.partynet:party-control-local."
                : "Available: " + all.stream().map(ControlPlaneProvider::name).sorted()
                    .collect(Collectors.joining(", ")) + ".")
            + " Add io.partynet:party-control-" + mode + " or change control.mode."));
  }

  /** The control plane provider named {@code mode}, if one is on the class path. */
  public static Optional<ControlPlaneProvider> findControlPlane(String mode, Iterable<ControlPlaneProvider> candidates) {
    List<ControlPlaneProvider> named = new ArrayList<>();
    for (ControlPlaneProvider provider : candidates) {
      if (provider.name().equalsIgnoreCase(mode.trim())) {
        named.add(provider);
      }
    }
    if (named.size() > 1) {
      LOG.warn("{} providers are named control plane '{}'; using {}", named.size(), mode,
          named.get(0).getClass().getName());
    }
    return named.stream().findFirst();
  }

  private static String describe(List<Probe> probes) {
    if (probes.isEmpty()) {
      return "No network backend is on the class path: add io.partynet:party-wireguard-jna "
          + "(netlink, uapi, wireguard-nt) or io.partynet:party-wireguard-embedded.";
    }
    String available = probes.stream().filter(Probe::available).map(Probe::name).sorted()
        .collect(Collectors.joining(", "));
    String unavailable = probes.stream().filter(p -> !p.available()).sorted(Comparator.comparing(Probe::name))
        .map(p -> p.name() + " (" + p.reason() + ")").collect(Collectors.joining("; "));
    return "Available: " + (available.isEmpty() ? "none" : available) + "."
        + (unavailable.isEmpty() ? "" : " Unavailable: " + unavailable + ".");
  }

  /** One provider's answer to "can you run here?", asked once and defensively. */
  private record Probe(NetworkBackendProvider provider, String name, boolean available, String reason,
      int priority) {

    static Probe of(NetworkBackendProvider provider, PartyConfig config) {
      String name = provider.getClass().getName();
      try {
        name = provider.name();
        boolean available = provider.isAvailable(config);
        String reason = available ? "" : provider.unavailableReason(config);
        return new Probe(provider, name, available, reason == null ? "no reason given" : reason,
            provider.priority());
      } catch (RuntimeException | LinkageError e) {
        return new Probe(provider, name, false, "failed to probe: " + e, Integer.MIN_VALUE);
      }
    }
  }
}
