package io.partynet.wireguard.jna.internal.uapi;

import io.partynet.PartyConfig;
import io.partynet.spi.NetworkBackend;
import io.partynet.spi.NetworkBackendProvider;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Provides the {@code uapi} backend (priority 200): available when the userspace binary
 * ({@code uapi.binary}, default {@code wireguard-go}) is found and {@code /dev/net/tun} can be
 * opened. Settings: {@code uapi.binary}, {@code uapi.socket-dir}. Thread-safe and stateless.
 */
public final class UapiBackendProvider implements NetworkBackendProvider {
  public static final String NAME = "uapi";
  public static final int PRIORITY = 200;
  public static final String BINARY_SETTING = "uapi.binary";
  public static final String SOCKET_DIR_SETTING = "uapi.socket-dir";
  static final Path TUN = Path.of("/dev/net/tun");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean isAvailable(PartyConfig config) {
    return unavailableReason(config).isEmpty();
  }

  @Override
  public String unavailableReason(PartyConfig config) {
    String binary = config.setting(BINARY_SETTING, UapiBackend.Options.DEFAULT_BINARY);
    if (locate(binary).isEmpty()) {
      return "userspace WireGuard binary '" + binary + "' not found: install wireguard-go (Debian: apt install"
          + " wireguard-go) or point " + BINARY_SETTING + " at boringtun";
    }
    try (FileChannel tun = FileChannel.open(TUN, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      return "";
    } catch (IOException | SecurityException e) {
      return "cannot open " + TUN + " (" + e.getMessage() + "): run as root or with CAP_NET_ADMIN, and load the tun module";
    }
  }

  @Override
  public int priority() {
    return PRIORITY;
  }

  @Override
  public NetworkBackend create(PartyConfig config) {
    UapiBackend.Options options = UapiBackend.Options.defaults()
        .withBinary(config.setting(BINARY_SETTING, UapiBackend.Options.DEFAULT_BINARY));
    String socketDir = config.setting(SOCKET_DIR_SETTING, "");
    if (!socketDir.isEmpty()) {
      options = new UapiBackend.Options(options.binary(), Path.of(socketDir), options.namespace(), options.timeout(),
          options.startTimeout(), options.nanoTime());
    }
    return new UapiBackend(options);
  }

  /** The executable for {@code binary}: itself when it is a path, else the first match on PATH. */
  static Optional<Path> locate(String binary) {
    if (binary.indexOf('/') >= 0) {
      return Files.isExecutable(Path.of(binary)) ? Optional.of(Path.of(binary)) : Optional.empty();
    }
    String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, binary))) {
        return Optional.of(Path.of(dir, binary));
      }
    }
    return Optional.empty();
  }
}
