package io.partynet.wireguard.jna.internal.device;

import io.partynet.Endpoint;
import io.partynet.IpPrefix;
import io.partynet.Key;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One peer change as WireGuard's set operation defines it: an absent field leaves the peer's
 * current value alone; {@code replaceAllowedIps} drops the peer's allowed IPs before adding
 * {@link #allowedIps()}; {@code remove} deletes the peer; {@code updateOnly} ignores the change
 * when the peer does not exist yet. A zero preshared key clears it.
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows the preshared key.
 */
public record PeerSettings(
    Key publicKey,
    Optional<Key> presharedKey,
    Optional<Endpoint> endpoint,
    List<IpPrefix> allowedIps,
    boolean replaceAllowedIps,
    OptionalInt persistentKeepaliveSeconds,
    boolean remove,
    boolean updateOnly) {

  public PeerSettings {
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(presharedKey, "presharedKey");
    Objects.requireNonNull(endpoint, "endpoint");
    allowedIps = List.copyOf(allowedIps);
    Objects.requireNonNull(persistentKeepaliveSeconds, "persistentKeepaliveSeconds");
    persistentKeepaliveSeconds.ifPresent(Values::keepalive);
  }

  public static Builder builder(Key publicKey) {
    return new Builder(publicKey);
  }

  /** A builder for a peer given as base64 text; a bad key is an {@link InvalidDeviceConfigException}. */
  public static Builder builder(String publicKeyBase64) {
    return new Builder(Values.key("peer public key", publicKeyBase64));
  }

  /** Removes the peer with this key. */
  public static PeerSettings removal(Key publicKey) {
    return builder(publicKey).remove(true).build();
  }

  @Override
  public String toString() {
    return "PeerSettings[publicKey=" + publicKey.toBase64() + ", presharedKey="
        + presharedKey.map(k -> "(set)").orElse("(unchanged)") + ", endpoint=" + endpoint
        + ", allowedIps=" + allowedIps + ", replaceAllowedIps=" + replaceAllowedIps
        + ", persistentKeepaliveSeconds=" + persistentKeepaliveSeconds + ", remove=" + remove
        + ", updateOnly=" + updateOnly + "]";
  }

  /** Collects a {@link PeerSettings}; every text setter validates at once. Not thread-safe. */
  public static final class Builder {
    private final Key publicKey;
    private Key presharedKey;
    private Endpoint endpoint;
    private final List<IpPrefix> allowedIps = new ArrayList<>();
    private boolean replaceAllowedIps;
    private Integer persistentKeepaliveSeconds;
    private boolean remove;
    private boolean updateOnly;

    private Builder(Key publicKey) {
      this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
    }

    public Builder presharedKey(Key key) { presharedKey = key; return this; }
    public Builder presharedKey(String base64) { return presharedKey(Values.key("preshared key", base64)); }
    public Builder endpoint(Endpoint value) { endpoint = value; return this; }
    public Builder endpoint(String text) { return endpoint(Values.endpoint(text)); }
    public Builder allowedIp(IpPrefix prefix) { allowedIps.add(Objects.requireNonNull(prefix)); return this; }
    public Builder allowedIp(String cidr) { return allowedIp(Values.allowedIp(cidr)); }
    public Builder allowedIps(List<IpPrefix> prefixes) { prefixes.forEach(this::allowedIp); return this; }
    public Builder replaceAllowedIps(boolean value) { replaceAllowedIps = value; return this; }
    public Builder persistentKeepaliveSeconds(int seconds) { persistentKeepaliveSeconds = Values.keepalive(seconds); return this; }
    public Builder remove(boolean value) { remove = value; return this; }
    public Builder updateOnly(boolean value) { updateOnly = value; return this; }

    public PeerSettings build() {
      return new PeerSettings(publicKey, Optional.ofNullable(presharedKey), Optional.ofNullable(endpoint),
          allowedIps, replaceAllowedIps,
          persistentKeepaliveSeconds == null ? OptionalInt.empty() : OptionalInt.of(persistentKeepaliveSeconds),
          remove, updateOnly);
    }
  }
}
