package io.partynet.wireguard.jna.internal.nt;

import io.partynet.Endpoint;
import io.partynet.Key;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One {@code WIREGUARD_PEER} with the allowed IPs that follow it in the configuration buffer. The
 * optional fields are the ones the header marks with a {@code WIREGUARD_PEER_HAS_*} flag: absent
 * means "leave unchanged" when setting and "not reported" when reading. The counters and the
 * handshake time are only meaningful in what the driver returns; the driver ignores them on set.
 *
 * @param lastHandshakeFileTime the latest handshake in 100 ns ticks since 1601-01-01 UTC (a Windows
 *     FILETIME), 0 for none
 *
 * <p>Immutable and thread-safe; {@link #toString()} never shows the preshared key.
 */
public record NtPeer(
    Key publicKey,
    Optional<Key> presharedKey,
    OptionalInt persistentKeepalive,
    Optional<Endpoint> endpoint,
    boolean replaceAllowedIps,
    boolean remove,
    boolean updateOnly,
    long txBytes,
    long rxBytes,
    long lastHandshakeFileTime,
    List<NtAllowedIp> allowedIps) {

  public NtPeer {
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(presharedKey, "presharedKey");
    Objects.requireNonNull(persistentKeepalive, "persistentKeepalive");
    Objects.requireNonNull(endpoint, "endpoint");
    if (persistentKeepalive.isPresent()
        && (persistentKeepalive.getAsInt() < 0 || persistentKeepalive.getAsInt() > 0xFFFF)) {
      throw new IllegalArgumentException(
          "persistent keepalive must be 0..65535 seconds: " + persistentKeepalive.getAsInt());
    }
    allowedIps = List.copyOf(allowedIps);
  }

  /** The latest handshake, empty when there has been none. */
  public Optional<Instant> lastHandshake() {
    return FileTimes.toInstant(lastHandshakeFileTime);
  }

  public static Builder builder(Key publicKey) {
    return new Builder(publicKey);
  }

  /** Builds an {@link NtPeer}; not thread-safe. */
  public static final class Builder {
    private final Key publicKey;
    private Key presharedKey;
    private Integer persistentKeepalive;
    private Endpoint endpoint;
    private boolean replaceAllowedIps;
    private boolean remove;
    private boolean updateOnly;
    private long txBytes;
    private long rxBytes;
    private long lastHandshakeFileTime;
    private final List<NtAllowedIp> allowedIps = new ArrayList<>();

    private Builder(Key publicKey) {
      this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
    }

    public Builder presharedKey(Key key) {
      this.presharedKey = key;
      return this;
    }

    public Builder persistentKeepalive(int seconds) {
      this.persistentKeepalive = seconds;
      return this;
    }

    public Builder endpoint(Endpoint value) {
      this.endpoint = value;
      return this;
    }

    public Builder replaceAllowedIps(boolean value) {
      this.replaceAllowedIps = value;
      return this;
    }

    public Builder remove(boolean value) {
      this.remove = value;
      return this;
    }

    public Builder updateOnly(boolean value) {
      this.updateOnly = value;
      return this;
    }

    public Builder counters(long tx, long rx, long lastHandshake) {
      this.txBytes = tx;
      this.rxBytes = rx;
      this.lastHandshakeFileTime = lastHandshake;
      return this;
    }

    public Builder addAllowedIp(NtAllowedIp allowedIp) {
      allowedIps.add(Objects.requireNonNull(allowedIp, "allowedIp"));
      return this;
    }

    public NtPeer build() {
      return new NtPeer(publicKey, Optional.ofNullable(presharedKey),
          persistentKeepalive == null ? OptionalInt.empty() : OptionalInt.of(persistentKeepalive),
          Optional.ofNullable(endpoint), replaceAllowedIps, remove, updateOnly, txBytes, rxBytes,
          lastHandshakeFileTime, allowedIps);
    }
  }
}
