package io.partynet;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The runtime configuration of a member. Normally loaded from the settings database in the home
 * directory (database-first, see {@code docs/configuration.md}); build one by hand in tests or
 * when an application keeps its own settings. {@link #settings()} keeps every raw setting so that
 * backends and control planes can read their own keys.
 *
 * <p>Immutable and thread-safe. Use {@link #builder()} or {@link #toBuilder()}. {@link #toString()}
 * hides the value of every {@linkplain #isSecretSetting secret setting}, so a configuration can be
 * logged.
 *
 * @param home the member's home directory: settings database, keys, state (default {@code ~/.partynet})
 * @param peerName the name other members see ({@code peer.name}, default {@code player})
 * @param controlMode the control plane provider ({@code control.mode}: {@code local}, {@code remote}, ...)
 * @param controlServer the control plane server's base URL ({@code control.server-url}); required for {@code remote}
 * @param controlFallbackToLocal whether a member starting without a persisted party may use the local control
 *     plane when the configured one is unreachable (default false; never for a persisted party)
 * @param discoveryFile the local control plane's discovery file ({@code control.local.discovery-file})
 * @param networkBackend the network backend ({@code network.backend}: {@code auto}, {@code off} or a provider name)
 * @param interfaceName the WireGuard interface name, 1..15 characters ({@code network.interface})
 * @param listenPort the WireGuard UDP port, 0 for any free one ({@code network.listen-port})
 * @param virtualSubnet the IPv4 network virtual addresses are assigned from ({@code network.subnet})
 * @param maxPartySize the most members a party admits, 2..256 ({@code party.max-size})
 * @param heartbeatInterval how often a member tells the control plane it is alive
 * @param staleTimeout how long a silent member stays before the cleanup removes it
 * @param cleanupInterval how often stale members and empty parties are removed
 * @param persistBatchDelay how long state changes are gathered before one disk write
 * @param requestTimeout the timeout of each control plane request
 * @param stunServers STUN servers for NAT detection, IP literals only ({@code nat.stun-servers}; empty: no detection)
 * @param settings every raw setting by key, for backends and control planes to read their own
 */
public record PartyConfig(
    Path home,
    String peerName,
    String controlMode,
    URI controlServer,
    boolean controlFallbackToLocal,
    Path discoveryFile,
    String networkBackend,
    String interfaceName,
    int listenPort,
    IpPrefix virtualSubnet,
    int maxPartySize,
    Duration heartbeatInterval,
    Duration staleTimeout,
    Duration cleanupInterval,
    Duration persistBatchDelay,
    Duration requestTimeout,
    List<Endpoint> stunServers,
    Map<String, String> settings) {

  private static final Pattern PROVIDER_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final List<String> SECRET_WORDS = List.of("password", "secret", "token", "credential",
      "private-key", "private_key", "privatekey");

  /**
   * Checks every value against its rule; the subnet's host bits are cleared.
   *
   * @param home the member's home directory: settings database, keys, state (default {@code ~/.partynet})
   * @param peerName the name other members see ({@code peer.name}, default {@code player})
   * @param controlMode the control plane provider ({@code control.mode}: {@code local}, {@code remote}, ...)
   * @param controlServer the control plane server's base URL ({@code control.server-url}); required for {@code remote}
   * @param controlFallbackToLocal whether to use the local control plane when the server is unreachable at start
   * @param discoveryFile the local control plane's discovery file ({@code control.local.discovery-file})
   * @param networkBackend the network backend ({@code network.backend}: {@code auto}, {@code off} or a provider name)
   * @param interfaceName the WireGuard interface name, 1..15 characters ({@code network.interface})
   * @param listenPort the WireGuard UDP port, 0 for any free one ({@code network.listen-port})
   * @param virtualSubnet the IPv4 network virtual addresses are assigned from ({@code network.subnet})
   * @param maxPartySize the most members a party admits, 2..256 ({@code party.max-size})
   * @param heartbeatInterval how often a member tells the control plane it is alive
   * @param staleTimeout how long a silent member stays before the cleanup removes it
   * @param cleanupInterval how often stale members and empty parties are removed
   * @param persistBatchDelay how long state changes are gathered before one disk write
   * @param requestTimeout the timeout of each control plane request
   * @param stunServers STUN servers for NAT detection, IP literals only ({@code nat.stun-servers}; empty: no detection)
   * @param settings every raw setting by key, for backends and control planes to read their own
   * @throws IllegalArgumentException naming the setting whose value breaks its rule
   */
  public PartyConfig {
    Objects.requireNonNull(home, "home");
    peerName = Names.requirePeerName(peerName);
    // Any name a ControlPlaneProvider may carry: which provider exists is known only where they
    // are discovered (an unknown name fails there, listing what is on the class path).
    if (controlMode == null || !PROVIDER_NAME.matcher(controlMode).matches()) {
      throw new IllegalArgumentException(
          "control.mode must name a control plane provider (1..64 characters of [A-Za-z0-9_.-]), such as"
              + " local or remote: " + controlMode);
    }
    if (controlMode.equals("remote") && controlServer == null) {
      throw new IllegalArgumentException("control.mode=remote needs control.server-url");
    }
    Objects.requireNonNull(discoveryFile, "discoveryFile");
    Objects.requireNonNull(networkBackend, "networkBackend");
    if (interfaceName == null || !interfaceName.matches("[A-Za-z0-9_.-]{1,15}")) {
      throw new IllegalArgumentException("interface name must be 1..15 characters of [A-Za-z0-9_.-]: " + interfaceName);
    }
    if (listenPort < 0 || listenPort > 65535) {
      throw new IllegalArgumentException("listen port must be 0..65535 (0 picks a free one): " + listenPort);
    }
    Objects.requireNonNull(virtualSubnet, "virtualSubnet");
    if (!virtualSubnet.isIpv4() || virtualSubnet.prefixLength() > 30) {
      throw new IllegalArgumentException("virtual subnet must be IPv4 with room for members: " + virtualSubnet);
    }
    virtualSubnet = virtualSubnet.network();
    if (maxPartySize < 2 || maxPartySize > 256) {
      throw new IllegalArgumentException("max party size must be 2..256: " + maxPartySize);
    }
    requirePositive("heartbeat interval", heartbeatInterval);
    requirePositive("stale timeout", staleTimeout);
    requirePositive("cleanup interval", cleanupInterval);
    requirePositive("persist batch delay", persistBatchDelay);
    requirePositive("request timeout", requestTimeout);
    stunServers = List.copyOf(stunServers);
    settings = Map.copyOf(settings);
  }

  private static void requirePositive(String what, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive: " + d);
    }
  }

  /**
   * The directory that holds the member's private key (mode 0700, key files 0600).
   *
   * @return {@code home/keys}
   */
  public Path keysDir() {
    return home.resolve("keys");
  }

  /**
   * The JSON file the member's state is persisted to.
   *
   * @return {@code home/state.json}
   */
  public Path stateFile() {
    return home.resolve("state.json");
  }

  /**
   * The SQLite settings database.
   *
   * @return {@code home/settings.db}
   */
  public Path settingsDatabase() {
    return home.resolve("settings.db");
  }

  /**
   * Loads the configuration of the member whose files live in {@code home}, database-first (see
   * {@code docs/configuration.md}): stored settings, defaults for missing keys, and
   * {@code overrides} (setting key to text, e.g. from command-line flags) replacing stored values
   * for this run only; overrides are never written back. The SDK implementation on the class path
   * (party-core) does the loading, found as {@link PartyManager.Builder#build()} finds it.
   *
   * @param home the member's home directory (created when missing)
   * @param overrides setting key to text value, for this run only
   * @return the configuration
   * @throws IllegalArgumentException naming the key when a stored value or an override is invalid
   * @throws IOException when the home directory or the settings database cannot be used
   * @throws BackendUnavailableException when no SDK implementation is on the class path
   */
  public static PartyConfig load(Path home, Map<String, String> overrides) throws IOException {
    Objects.requireNonNull(home, "home");
    Objects.requireNonNull(overrides, "overrides");
    return Implementations.find(null).loadConfig(home, Map.copyOf(overrides));
  }

  /**
   * A raw setting by key.
   *
   * @param key the setting's key, e.g. {@code party.probe-port}
   * @param fallback what to return when the key is not set
   * @return the setting's text, or {@code fallback}
   */
  public String setting(String key, String fallback) {
    return settings.getOrDefault(key, fallback);
  }

  /**
   * Whether a setting holds a secret (a password, a token, a shared secret, a credential, a private
   * key): its value is never shown by {@link #toString()}, and a command line must not carry it
   * (take it from a file or the environment instead, as {@code docs/configuration.md} says).
   *
   * @param key a setting's key, e.g. {@code nat.turn-password}
   * @return true when the key names a secret
   */
  public static boolean isSecretSetting(String key) {
    String lower = key.toLowerCase(Locale.ROOT);
    for (String word : SECRET_WORDS) {
      if (lower.contains(word)) {
        return true;
      }
    }
    return false;
  }

  /** Every field, with the value of each secret setting replaced by {@code <hidden>}. */
  @Override
  public String toString() {
    Map<String, String> shown = new TreeMap<>();
    settings.forEach((key, value) -> shown.put(key, isSecretSetting(key) ? "<hidden>" : value));
    return "PartyConfig[home=" + home + ", peerName=" + peerName + ", controlMode=" + controlMode
        + ", controlServer=" + controlServer + ", controlFallbackToLocal=" + controlFallbackToLocal
        + ", discoveryFile=" + discoveryFile + ", networkBackend=" + networkBackend + ", interfaceName="
        + interfaceName + ", listenPort=" + listenPort + ", virtualSubnet=" + virtualSubnet + ", maxPartySize="
        + maxPartySize + ", heartbeatInterval=" + heartbeatInterval + ", staleTimeout=" + staleTimeout
        + ", cleanupInterval=" + cleanupInterval + ", persistBatchDelay=" + persistBatchDelay
        + ", requestTimeout=" + requestTimeout + ", stunServers=" + stunServers + ", settings=" + shown + "]";
  }

  /**
   * A builder with every default of {@code docs/configuration.md}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder that starts from this configuration.
   *
   * @return a new builder holding these values
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Builds a {@link PartyConfig}; every field has the documented default. Not thread-safe. */
  public static final class Builder {
    private Path home = Path.of(System.getProperty("user.home"), ".partynet");
    private String peerName = "player";
    private String controlMode = "local";
    private URI controlServer;
    private boolean controlFallbackToLocal = false;
    private Path discoveryFile;
    private String networkBackend = "auto";
    private String interfaceName = "partynet0";
    private int listenPort = 51820;
    private IpPrefix virtualSubnet = IpPrefix.parse("10.77.0.0/16");
    private int maxPartySize = 16;
    private Duration heartbeatInterval = Duration.ofSeconds(10);
    private Duration staleTimeout = Duration.ofSeconds(90);
    private Duration cleanupInterval = Duration.ofSeconds(60);
    private Duration persistBatchDelay = Duration.ofMillis(200);
    private Duration requestTimeout = Duration.ofSeconds(10);
    private List<Endpoint> stunServers = List.of();
    private Map<String, String> settings = new TreeMap<>();

    private Builder() {}

    private Builder(PartyConfig c) {
      home = c.home;
      peerName = c.peerName;
      controlMode = c.controlMode;
      controlServer = c.controlServer;
      controlFallbackToLocal = c.controlFallbackToLocal;
      discoveryFile = c.discoveryFile;
      networkBackend = c.networkBackend;
      interfaceName = c.interfaceName;
      listenPort = c.listenPort;
      virtualSubnet = c.virtualSubnet;
      maxPartySize = c.maxPartySize;
      heartbeatInterval = c.heartbeatInterval;
      staleTimeout = c.staleTimeout;
      cleanupInterval = c.cleanupInterval;
      persistBatchDelay = c.persistBatchDelay;
      requestTimeout = c.requestTimeout;
      stunServers = c.stunServers;
      settings = new TreeMap<>(c.settings);
    }

    /**
     * Sets the member's home directory: settings database, keys, state (default {@code ~/.partynet}).
     *
     * @param v the value
     * @return this builder
     */
    public Builder home(Path v) { home = v; return this; }
    /**
     * Sets the name other members see ({@code peer.name}, default {@code player}).
     *
     * @param v the value
     * @return this builder
     */
    public Builder peerName(String v) { peerName = v; return this; }
    /**
     * Sets the control plane provider ({@code control.mode}: {@code local}, {@code remote}, ...).
     *
     * @param v the value
     * @return this builder
     */
    public Builder controlMode(String v) { controlMode = v; return this; }
    /**
     * Sets the control plane server's base URL ({@code control.server-url}); required for {@code remote}.
     *
     * @param v the value
     * @return this builder
     */
    public Builder controlServer(URI v) { controlServer = v; return this; }
    /**
     * Sets whether to use the local control plane when the server is unreachable at start.
     *
     * @param v the value
     * @return this builder
     */
    public Builder controlFallbackToLocal(boolean v) { controlFallbackToLocal = v; return this; }
    /**
     * Sets the local control plane's discovery file ({@code control.local.discovery-file}).
     *
     * @param v the value
     * @return this builder
     */
    public Builder discoveryFile(Path v) { discoveryFile = v; return this; }
    /**
     * Sets the network backend ({@code network.backend}: {@code auto}, {@code off} or a provider name).
     *
     * @param v the value
     * @return this builder
     */
    public Builder networkBackend(String v) { networkBackend = v; return this; }
    /**
     * Sets the WireGuard interface name, 1..15 characters ({@code network.interface}).
     *
     * @param v the value
     * @return this builder
     */
    public Builder interfaceName(String v) { interfaceName = v; return this; }
    /**
     * Sets the WireGuard UDP port, 0 for any free one ({@code network.listen-port}).
     *
     * @param v the value
     * @return this builder
     */
    public Builder listenPort(int v) { listenPort = v; return this; }
    /**
     * Sets the IPv4 network virtual addresses are assigned from ({@code network.subnet}).
     *
     * @param v the value
     * @return this builder
     */
    public Builder virtualSubnet(IpPrefix v) { virtualSubnet = v; return this; }
    /**
     * Sets the most members a party admits, 2..256 ({@code party.max-size}).
     *
     * @param v the value
     * @return this builder
     */
    public Builder maxPartySize(int v) { maxPartySize = v; return this; }
    /**
     * Sets how often a member tells the control plane it is alive.
     *
     * @param v the value
     * @return this builder
     */
    public Builder heartbeatInterval(Duration v) { heartbeatInterval = v; return this; }
    /**
     * Sets how long a silent member stays before the cleanup removes it.
     *
     * @param v the value
     * @return this builder
     */
    public Builder staleTimeout(Duration v) { staleTimeout = v; return this; }
    /**
     * Sets how often stale members and empty parties are removed.
     *
     * @param v the value
     * @return this builder
     */
    public Builder cleanupInterval(Duration v) { cleanupInterval = v; return this; }
    /**
     * Sets how long state changes are gathered before one disk write.
     *
     * @param v the value
     * @return this builder
     */
    public Builder persistBatchDelay(Duration v) { persistBatchDelay = v; return this; }
    /**
     * Sets the timeout of each control plane request.
     *
     * @param v the value
     * @return this builder
     */
    public Builder requestTimeout(Duration v) { requestTimeout = v; return this; }
    /**
     * Sets STUN servers for NAT detection, IP literals only ({@code nat.stun-servers}; empty: no detection).
     *
     * @param v the value
     * @return this builder
     */
    public Builder stunServers(List<Endpoint> v) { stunServers = v; return this; }
    /**
     * Sets every raw setting by key, for backends and control planes to read their own.
     *
     * @param v the value
     * @return this builder
     */
    public Builder settings(Map<String, String> v) { settings = new TreeMap<>(v); return this; }
    /**
     * Sets one raw setting, for a backend or control plane to read.
     *
     * @param key the setting's key
     * @param value its text
     * @return this builder
     */
    public Builder setting(String key, String value) { settings.put(key, value); return this; }

    /**
     * Builds the configuration; the discovery file defaults to
     * {@code ${java.io.tmpdir}/partynet-${user.name}/discovery.json}.
     *
     * @return the configuration
     * @throws IllegalArgumentException naming the setting whose value breaks its rule
     */
    public PartyConfig build() {
      Path discovery = discoveryFile != null ? discoveryFile
          : Path.of(System.getProperty("java.io.tmpdir"),
              "partynet-" + System.getProperty("user.name", "user"), "discovery.json");
      return new PartyConfig(home, peerName, controlMode, controlServer, controlFallbackToLocal, discovery,
          networkBackend, interfaceName, listenPort, virtualSubnet, maxPartySize, heartbeatInterval,
          staleTimeout, cleanupInterval, persistBatchDelay, requestTimeout, stunServers, settings);
    }
  }
}
