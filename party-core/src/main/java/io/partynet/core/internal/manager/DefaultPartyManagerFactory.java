package io.partynet.core.internal.manager;

import io.partynet.PartyConfig;
import io.partynet.PartyException;
import io.partynet.PartyManager;
import io.partynet.core.internal.keys.PrivateKeyStore;
import io.partynet.core.internal.keys.WireGuardKeyPair;
import io.partynet.core.internal.persist.WriteBehindStatePersister;
import io.partynet.core.internal.settings.Config;
import io.partynet.core.internal.spi.Providers;
import io.partynet.spi.ControlPlane;
import io.partynet.spi.ControlPlaneProvider;
import io.partynet.spi.ManagerComponents;
import io.partynet.spi.NetworkBackendProvider;
import io.partynet.spi.PartyManagerFactory;
import io.partynet.spi.StatePersister;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Builds a {@link DefaultPartyManager} from what the application passed to
 * {@link PartyManager#builder()}, filling every missing part from the configuration: the settings
 * database in the home directory ({@link Config#load}), the state file ({@link WriteBehindStatePersister}),
 * the key pair ({@link PrivateKeyStore}), the NAT detector (STUN servers from {@code nat.stun-servers};
 * none configured means no detector), and the control plane and network backend through
 * {@link Providers}. It also decides about the control plane ({@link ControlPlaneFallback}): a
 * persisted party is resumed on the plane it lives on; without one, a configured plane that cannot
 * be reached at start gives way to the local one only when {@code control.fallback-to-local} is on. Parts the factory creates are closed with the manager; parts the
 * application passed in stay the application's to close (a network backend passed in is only
 * taken down between parties).
 *
 * <p>Stateless and thread-safe. Registered in {@code META-INF/services/io.partynet.spi.PartyManagerFactory}.
 */
public final class DefaultPartyManagerFactory implements PartyManagerFactory {

  @Override
  public PartyManager create(ManagerComponents components) {
    PartyConfig config = components.config() != null ? components.config() : loadConfig(components.home());
    List<AutoCloseable> created = new ArrayList<>();
    DefaultPartyManagerBuilder builder;
    try {
      builder = prepare(components, config, created);
    } catch (RuntimeException e) {
      for (AutoCloseable resource : created) {
        try {
          resource.close();
        } catch (Exception closing) {
          e.addSuppressed(closing);
        }
      }
      throw e;
    }
    // From here on the manager owns what was created and closes it, also when build() fails.
    return builder.build();
  }

  /** Database-first loading through {@link Config#load(Path, Map)}; backs {@link PartyConfig#load}. */
  @Override
  public PartyConfig loadConfig(Path home, Map<String, String> overrides) throws IOException {
    return Config.load(home, overrides);
  }

  private static DefaultPartyManagerBuilder prepare(ManagerComponents components, PartyConfig config, List<AutoCloseable> created) {
    ClassLoader loader = classLoader();
    DefaultPartyManagerBuilder builder = DefaultPartyManager.builder()
        .config(config)
        .clock(components.clock())
        .listeners(components.listeners());

    WireGuardKeyPair keys = keys(config);
    builder.keys(keys.privateKey(), keys.publicKey());

    StatePersister persister = components.statePersister();
    if (persister == null) {
      persister = openPersister(config);
      created.add(persister);
      builder.owning(persister);
    }
    builder.statePersister(persister);

    if (components.networkBackend() != null) {
      builder.borrowedNetwork(components.networkBackend());
    } else {
      Optional<NetworkBackendProvider> backend = Providers.selectNetworkBackend(config,
          Providers.load(NetworkBackendProvider.class, loader));
      if (backend.isPresent()) {
        NetworkBackendProvider provider = backend.get();
        builder.network(provider.name(), () -> provider.create(config));
      } else {
        builder.networkOff();
      }
    }

    if (components.natDetector() != null) {
      // Otherwise the manager's built-in STUN detector (settings' servers, else the control plane's).
      builder.natDetector(components.natDetector());
    }

    if (components.controlPlane() != null) {
      builder.controlPlane(components.controlPlane());
    } else {
      List<ControlPlaneProvider> planes = Providers.load(ControlPlaneProvider.class, loader);
      ControlPlane plane = Providers.selectControlPlane(config.controlMode(), planes).create(config,
          components.clock());
      created.add(plane);
      ControlPlaneFallback fallback = fallback(plane, planes, config, components.clock());
      builder.owning(plane).controlPlane(fallback).owning(fallback);
    }
    return builder;
  }

  /**
   * The configured {@code plane}; the local plane from {@code planes} (when on the class path)
   * resumes a party persisted there, and stands in for an unreachable {@code plane} at start for a
   * member without a persisted party when {@code control.fallback-to-local} is on.
   */
  static ControlPlaneFallback fallback(ControlPlane plane, List<ControlPlaneProvider> planes, PartyConfig config,
      Clock clock) {
    Supplier<ControlPlane> localPlanes = Providers.findControlPlane(ControlPlaneFallback.LOCAL, planes)
        .<Supplier<ControlPlane>>map(provider -> () -> provider.create(config, clock))
        .orElse(null);
    return new ControlPlaneFallback(plane, localPlanes, config.controlFallbackToLocal());
  }

  private static PartyConfig loadConfig(Path home) {
    Path dir = home != null ? home : PartyConfig.builder().build().home();
    try {
      return Config.load(dir, Map.of());
    } catch (IOException e) {
      throw PartyException.of(PartyException.Reason.STORAGE, "Cannot read the settings in " + dir + ": "
          + e.getMessage() + ". Check that the directory is writable.", e);
    } catch (IllegalArgumentException e) {
      throw PartyException.of(PartyException.Reason.INVALID_ARGUMENT, e.getMessage(), e);
    }
  }

  private static WireGuardKeyPair keys(PartyConfig config) {
    try {
      return PrivateKeyStore.loadOrCreate(config.keysDir());
    } catch (IOException | UncheckedIOException e) {
      throw PartyException.of(PartyException.Reason.STORAGE, "Cannot load or create the WireGuard key in "
          + config.keysDir() + ": " + e.getMessage() + ". Check the directory's permissions.", e);
    }
  }

  private static StatePersister openPersister(PartyConfig config) {
    try {
      return WriteBehindStatePersister.open(config);
    } catch (IOException e) {
      throw PartyException.of(PartyException.Reason.STORAGE, "Cannot open the state file " + config.stateFile()
          + ": " + e.getMessage() + ". Check that the home directory is writable.", e);
    }
  }

  private static ClassLoader classLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : DefaultPartyManagerFactory.class.getClassLoader();
  }
}
