package io.partynet.wireguard.jna.internal.uapi;

import io.partynet.PartyConfig;
import io.partynet.spi.SettingKey;
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
  /** The userspace WireGuard program: a name looked up on PATH, or a path. */
  public static final SettingKey<String> BINARY = SettingKey.ofString("uapi.binary",
      UapiBackend.Options.DEFAULT_BINARY).requiring(v -> !v.isBlank(), "and not blank");
  /** Where the program's control sockets are; empty means its own default (/var/run/wireguard). */
  public static final SettingKey<String> SOCKET_DIR = SettingKey.ofString("uapi.socket-dir", "");
  /** The name of {@link #BINARY}, for messages and configs. */
  public static final String BINARY_SETTING = BINARY.name();
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
    String binary;
    try {
      binary = BINARY.from(config);
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
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
        .withBinary(BINARY.from(config));
    String socketDir = SOCKET_DIR.from(config);
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
