package io.partynet.core.internal.settings;

import io.partynet.Endpoint;
import io.partynet.IpPrefix;
import io.partynet.PartyConfig;
import io.partynet.core.internal.persist.PrivateFiles;
import io.partynet.spi.SettingKey;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * Loads a member's {@link PartyConfig} database-first: every setting comes from
 * {@code <home>/settings.db}, whose missing keys are filled with defaults on first start. The
 * defaults are those of {@link PartyConfig.Builder}. Overrides (command-line flags, tests) apply
 * to one run and are never written back. See {@code docs/configuration.md} for every key.
 *
 * <p>Thread-safe: stateless; concurrent loads from threads or processes are safe.
 */
public final class Config {
  private static final PartyConfig DEFAULTS = PartyConfig.builder().build();

  public static final SettingKey<String> PEER_NAME = SettingKey.ofString("peer.name", DEFAULTS.peerName())
      .requiring(acceptedBy(PartyConfig.Builder::peerName), "a non-blank name of at most 32 characters");
  public static final SettingKey<String> CONTROL_MODE = SettingKey.ofString("control.mode", DEFAULTS.controlMode())
      .requiring(v -> v.matches("[A-Za-z0-9_.-]{1,64}"), "a control plane name such as local or remote");
  public static final SettingKey<String> CONTROL_SERVER_URL = SettingKey.ofHttpUrl("control.server-url");
  /** Several instances of one deployment; the remote client fails over between them (first one used first). */
  public static final SettingKey<List<String>> CONTROL_SERVER_URLS = SettingKey.ofHttpUrls("control.server-urls", 8);
  public static final SettingKey<Boolean> CONTROL_FALLBACK_TO_LOCAL =
      SettingKey.ofBoolean("control.fallback-to-local", DEFAULTS.controlFallbackToLocal());
  public static final SettingKey<String> CONTROL_LOCAL_DISCOVERY_FILE =
      SettingKey.ofString("control.local.discovery-file", "")
          .requiring(v -> v.isEmpty() || Path.of(v) != null, "empty or a file path");
  /** True: the discovery file's folder is deliberately shared with other users, so its owner and mode are not checked. */
  public static final SettingKey<Boolean> CONTROL_LOCAL_SHARED_DIRECTORY =
      SettingKey.ofBoolean("control.local.shared-directory", false);
  public static final SettingKey<Duration> CONTROL_REQUEST_TIMEOUT =
      SettingKey.ofDuration("control.request-timeout", DEFAULTS.requestTimeout());
  public static final SettingKey<String> NETWORK_BACKEND = SettingKey.ofString("network.backend", DEFAULTS.networkBackend())
      .requiring(v -> v.matches("[A-Za-z0-9_.-]{1,64}"), "a backend name such as auto, netlink, uapi or wireguard-nt");
  public static final SettingKey<String> NETWORK_INTERFACE = SettingKey.ofString("network.interface", DEFAULTS.interfaceName())
      .requiring(acceptedBy(PartyConfig.Builder::interfaceName), "1..15 characters of [A-Za-z0-9_.-]");
  public static final SettingKey<Integer> NETWORK_LISTEN_PORT =
      SettingKey.ofInt("network.listen-port", DEFAULTS.listenPort(), 0, 65535);
  public static final SettingKey<String> NETWORK_SUBNET = SettingKey.ofString("network.subnet", DEFAULTS.virtualSubnet().toString())
      .requiring(acceptedBy((b, v) -> b.virtualSubnet(IpPrefix.parse(v))), "an IPv4 prefix of length /30 or shorter, such as 10.77.0.0/16");
  public static final SettingKey<Integer> PARTY_MAX_SIZE = SettingKey.ofInt("party.max-size", DEFAULTS.maxPartySize(), 2, 256);
  public static final SettingKey<Duration> PARTY_HEARTBEAT_INTERVAL =
      SettingKey.ofDuration("party.heartbeat-interval", DEFAULTS.heartbeatInterval());
  public static final SettingKey<Duration> PARTY_STALE_TIMEOUT = SettingKey.ofDuration("party.stale-timeout", DEFAULTS.staleTimeout());
  public static final SettingKey<Duration> PARTY_CLEANUP_INTERVAL =
      SettingKey.ofDuration("party.cleanup-interval", DEFAULTS.cleanupInterval());
  public static final SettingKey<Duration> STATE_BATCH_DELAY = SettingKey.ofDuration("state.batch-delay", DEFAULTS.persistBatchDelay());
  public static final SettingKey<List<String>> NAT_STUN_SERVERS =
      SettingKey.ofStringList("nat.stun-servers", DEFAULTS.stunServers().stream().map(Endpoint::toString).toList())
          .requiring(v -> v.stream().allMatch(Config::isEndpoint), "IP literal endpoints such as 192.0.2.1:3478,[2001:db8::1]:3478");

  /** Every setting {@link #load} knows, in documentation order. */
  public static final List<SettingKey<?>> KEYS = List.of(PEER_NAME, CONTROL_MODE, CONTROL_SERVER_URL, CONTROL_SERVER_URLS,
      CONTROL_FALLBACK_TO_LOCAL, CONTROL_LOCAL_DISCOVERY_FILE, CONTROL_LOCAL_SHARED_DIRECTORY, CONTROL_REQUEST_TIMEOUT,
      NETWORK_BACKEND,
      NETWORK_INTERFACE, NETWORK_LISTEN_PORT, NETWORK_SUBNET, PARTY_MAX_SIZE, PARTY_HEARTBEAT_INTERVAL,
      PARTY_STALE_TIMEOUT, PARTY_CLEANUP_INTERVAL, STATE_BATCH_DELAY, NAT_STUN_SERVERS);

  private Config() {}

  /** Loads the configuration of the member whose files live in {@code home}. */
  public static PartyConfig load(Path home) throws IOException {
    return load(home, Map.of());
  }

  /**
   * Loads the configuration of the member whose files live in {@code home}, with
   * {@code overrides} (setting key to text value) replacing stored values for this run only.
   *
   * @throws IllegalArgumentException naming the key and the expected type when a stored value
   *     or an override is invalid
   * @throws IOException when the home directory or the settings database cannot be used
   */
  public static PartyConfig load(Path home, Map<String, String> overrides) throws IOException {
    Path absoluteHome = home.toAbsolutePath().normalize();
    prepareDirectories(absoluteHome);
    PartyConfig.Builder builder = PartyConfig.builder().home(absoluteHome);
    Map<String, String> raw = new TreeMap<>();
    Path databaseFile = builder.build().settingsDatabase();
    try (SettingsDatabase database = SettingsDatabase.open(databaseFile)) {
      database.insertDefaults(KEYS);
      database.getAll().forEach((key, setting) -> raw.put(key, setting.value()));
    }
    raw.putAll(overrides);

    builder.peerName(value(raw, PEER_NAME))
        .controlMode(value(raw, CONTROL_MODE))
        .controlFallbackToLocal(value(raw, CONTROL_FALLBACK_TO_LOCAL))
        .requestTimeout(value(raw, CONTROL_REQUEST_TIMEOUT))
        .networkBackend(value(raw, NETWORK_BACKEND))
        .interfaceName(value(raw, NETWORK_INTERFACE))
        .listenPort(value(raw, NETWORK_LISTEN_PORT))
        .virtualSubnet(IpPrefix.parse(value(raw, NETWORK_SUBNET)))
        .maxPartySize(value(raw, PARTY_MAX_SIZE))
        .heartbeatInterval(value(raw, PARTY_HEARTBEAT_INTERVAL))
        .staleTimeout(value(raw, PARTY_STALE_TIMEOUT))
        .cleanupInterval(value(raw, PARTY_CLEANUP_INTERVAL))
        .persistBatchDelay(value(raw, STATE_BATCH_DELAY))
        .stunServers(value(raw, NAT_STUN_SERVERS).stream().map(Endpoint::parse).toList())
        .settings(raw);
    String serverUrl = value(raw, CONTROL_SERVER_URL);
    List<String> serverUrls = value(raw, CONTROL_SERVER_URLS);
    if (!serverUrl.isEmpty()) {
      builder.controlServer(URI.create(serverUrl));
    } else if (!serverUrls.isEmpty()) {
      builder.controlServer(URI.create(serverUrls.get(0)));
    }
    String discovery = value(raw, CONTROL_LOCAL_DISCOVERY_FILE);
    if (!discovery.isEmpty()) {
      builder.discoveryFile(absoluteHome.resolve(discovery));
    }
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("settings in " + databaseFile + " do not fit together: " + e.getMessage(), e);
    }
  }

  /** The text of every known key with its default, for documentation and {@code --help}. */
  public static Map<String, String> defaultsAsText() {
    Map<String, String> defaults = new TreeMap<>();
    KEYS.forEach(key -> defaults.put(key.name(), key.defaultText()));
    return defaults;
  }

  private static <T> T value(Map<String, String> raw, SettingKey<T> key) {
    String text = raw.get(key.name());
    return text == null ? key.defaultValue() : key.parse(text);
  }

  /** The home and its keys folder are the user's alone ({@code rwx------}), tightened when an older version made them looser. */
  private static void prepareDirectories(Path home) throws IOException {
    PrivateFiles.directory(home);
    PrivateFiles.directory(home.resolve("keys"));
  }

  private static Predicate<String> acceptedBy(BiConsumer<PartyConfig.Builder, String> setter) {
    return value -> {
      PartyConfig.Builder builder = DEFAULTS.toBuilder();
      setter.accept(builder, value);
      builder.build();
      return true;
    };
  }

  private static boolean isEndpoint(String text) {
    Endpoint.parse(text);
    return true;
  }
}
