package io.partynet.examples.cli.doctor;

import io.partynet.PartyConfig;
import io.partynet.spi.NetworkBackendProvider;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The checks of this machine: which network backend {@code network.backend} picks and why,
 * privileges, wireguard-go and the kernel module, the WireGuard port, and the home's file modes.
 *
 * <p>Stateless and thread-safe.
 */
final class HostChecks {
  /** CAP_NET_ADMIN's bit in the capability sets of /proc/self/status. */
  private static final int CAP_NET_ADMIN = 12;

  private HostChecks() {}

  /** The providers found, each available or not (with why), and the one the setting selects. */
  static List<Check> backend(PartyConfig config) {
    List<NetworkBackendProvider> providers = new ArrayList<>();
    ServiceLoader.load(NetworkBackendProvider.class).forEach(providers::add);
    providers.sort(Comparator.comparingInt(NetworkBackendProvider::priority).reversed());
    List<Check> checks = new ArrayList<>();
    StringBuilder seen = new StringBuilder();
    NetworkBackendProvider best = null;
    for (NetworkBackendProvider p : providers) {
      boolean available = available(p, config);
      seen.append(seen.length() == 0 ? "" : "; ").append(p.name()).append(" (priority ").append(p.priority())
          .append("): ").append(available ? "available" : reason(p, config));
      if (available && best == null) {
        best = p;
      }
    }
    String wanted = config.networkBackend();
    if (wanted.equals("off")) {
      checks.add(Check.warn("backend", "network.backend=off: membership only, no tunnels",
          "set network.backend=auto (or drop --network off) to carry traffic"));
    } else if (wanted.equals("auto")) {
      checks.add(best == null
          ? Check.fail("backend", "network.backend=auto finds nothing that can run here: " + seen,
              "install wireguard-go or load the wireguard module, or add party-wireguard-embedded to the class path")
          : best.priority() <= 100
              ? Check.warn("backend", "auto picks '" + best.name() + "': " + seen,
                  "the embedded backend works without admin rights; a kernel or wireguard-go backend is faster "
                      + "(run with CAP_NET_ADMIN and install wireguard-go or the wireguard module)")
              : Check.pass("backend", "auto picks '" + best.name() + "' (highest priority available): " + seen));
    } else {
      NetworkBackendProvider named = providers.stream().filter(p -> p.name().equals(wanted)).findFirst().orElse(null);
      checks.add(named == null
          ? Check.fail("backend", "network.backend=" + wanted + " is not on the class path; found: " + seen,
              "use one of the names found, or auto")
          : available(named, config)
              ? Check.pass("backend", "network.backend=" + wanted + " is available")
              : Check.fail("backend", "network.backend=" + wanted + " cannot run here: " + reason(named, config),
                  best == null ? "fix the reason above" : "fix the reason above, or use " + best.name() + " (auto)"));
    }
    return checks;
  }

  static Check privileges() {
    boolean netAdmin = hasNetAdmin();
    return netAdmin ? Check.pass("privileges", "this process has CAP_NET_ADMIN: kernel and wireguard-go backends can "
        + "create interfaces")
        : Check.warn("privileges", "no CAP_NET_ADMIN: only the embedded backend can run",
            "fine for players; for the faster backends run as root or grant the capability "
                + "(setcap cap_net_admin+ep on the java binary)");
  }

  static Check wireguardGo(PartyConfig config) {
    String binary = config.setting("uapi.binary", "wireguard-go");
    Path found = onPath(binary);
    return found != null ? Check.pass("wireguard-go", binary + " found at " + found)
        : Check.warn("wireguard-go", binary + " is not installed (the uapi backend needs it)",
            "Debian/Ubuntu: apt install wireguard-go; or set uapi.binary to its path");
  }

  static Check kernelModule() {
    if (!System.getProperty("os.name", "").startsWith("Linux")) {
      return Check.pass("kernel module", "not Linux: no kernel module to look for");
    }
    boolean loaded = Files.isDirectory(Path.of("/sys/module/wireguard"));
    return loaded ? Check.pass("kernel module", "the wireguard module is loaded")
        : Check.warn("kernel module", "the wireguard kernel module is not loaded (the netlink backend needs it)",
            "modprobe wireguard (as root); kernels since 5.6 have it");
  }

  /** Whether the WireGuard listen port is free; a member running in this home holds it legitimately. */
  static Check listenPort(PartyConfig config, boolean memberRunning) {
    int port = config.listenPort();
    if (port == 0) {
      return Check.pass("listen port", "network.listen-port=0: a free port is picked at start");
    }
    try (DatagramSocket socket = new DatagramSocket(null)) {
      socket.bind(new InetSocketAddress(port));
      return Check.pass("listen port", "UDP " + port + " is free");
    } catch (BindException e) {
      return memberRunning ? Check.pass("listen port", "UDP " + port + " is in use by the member running in this home")
          : Check.warn("listen port", "UDP " + port + " is in use by another program",
              "stop it, or set network.listen-port to another port (0 picks a free one)");
    } catch (SocketException e) {
      return Check.warn("listen port", "UDP " + port + " cannot be checked: " + e.getMessage(), "");
    }
  }

  /** The home and key directories private to their owner, the key 0600, settings not readable by others. */
  static List<Check> homeModes(PartyConfig config) {
    List<Check> checks = new ArrayList<>();
    Path home = config.home();
    if (!Files.isDirectory(home)) {
      checks.add(Check.fail("home", home + " does not exist", "it is created by 'party create' or 'party join'"));
      return checks;
    }
    try {
      if (!Files.isWritable(home)) {
        checks.add(Check.fail("home", home + " is not writable by this user", "chown it to this user"));
      } else {
        checks.add(Check.pass("home", home + " is writable"));
      }
      checks.add(mode("keys directory", config.keysDir(), false, "chmod 700 " + config.keysDir()));
      checks.add(mode("private key", config.keysDir().resolve("private.key"), true,
          "chmod 600 " + config.keysDir().resolve("private.key")));
      checks.add(mode("settings", config.settingsDatabase(), false, "chmod 600 " + config.settingsDatabase()
          + " (it may hold the TURN password)"));
    } catch (IOException | UnsupportedOperationException e) {
      checks.add(Check.warn("home", "file modes cannot be read here: " + e.getMessage(), ""));
    }
    return checks;
  }

  /**
   * A file or directory readable by its owner alone: a secret ({@code secret}) that others can
   * read FAILs, anything else WARNs. A file not created yet passes (it is created private).
   */
  private static Check mode(String name, Path path, boolean secret, String fix) throws IOException {
    if (!Files.exists(path)) {
      return Check.pass(name, path + " not created yet (created private on first use)");
    }
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
    boolean open = permissions.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"));
    String octal = octal(permissions);
    if (!open) {
      return Check.pass(name, path + " is " + octal + " (owner only)");
    }
    return secret ? Check.fail(name, path + " is " + octal + ": other users can read it", fix)
        : Check.warn(name, path + " is " + octal + ": other users can read it", fix);
  }

  static String octal(Set<PosixFilePermission> permissions) {
    int mode = 0;
    for (PosixFilePermission p : permissions) {
      mode |= 1 << (8 - p.ordinal());
    }
    return String.format("%04o", mode);
  }

  private static boolean available(NetworkBackendProvider p, PartyConfig config) {
    try {
      return p.isAvailable(config);
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  private static String reason(NetworkBackendProvider p, PartyConfig config) {
    try {
      return p.unavailableReason(config);
    } catch (RuntimeException | LinkageError e) {
      return "its check failed: " + e;
    }
  }

  private static boolean hasNetAdmin() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("CapEff:")) {
          long effective = Long.parseUnsignedLong(line.substring(7).strip(), 16);
          return (effective >> CAP_NET_ADMIN & 1) == 1;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux: fall through
    }
    return "root".equals(System.getProperty("user.name"));
  }

  private static Path onPath(String binary) {
    if (binary.contains("/")) {
      Path p = Path.of(binary);
      return Files.isExecutable(p) ? p : null;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, binary))) {
        return Path.of(dir, binary);
      }
    }
    return null;
  }
}
