package io.partynet.wireguard.jna.internal.device;

import io.partynet.Key;
import io.partynet.wireguard.jna.internal.device.InvalidDeviceConfigException.Problem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One WireGuard set operation on a device: absent fields stay as they are; {@code replacePeers}
 * removes every peer not named in {@link #peers()} first. {@code fwmark} is an unsigned 32-bit
 * value held in an int (0 clears it).
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows the private key.
 */
public record DeviceConfig(
    Optional<Key> privateKey,
    OptionalInt listenPort,
    OptionalInt fwmark,
    boolean replacePeers,
    List<PeerSettings> peers) {

  public DeviceConfig {
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(listenPort, "listenPort");
    listenPort.ifPresent(Values::port);
    Objects.requireNonNull(fwmark, "fwmark");
    peers = List.copyOf(peers);
    Set<Key> seen = new HashSet<>();
    for (PeerSettings peer : peers) {
      if (!seen.add(peer.publicKey())) {
        throw new InvalidDeviceConfigException(Problem.DUPLICATE_PEER,
            "peer " + peer.publicKey().toBase64() + " appears twice in one configuration; merge its settings");
      }
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String toString() {
    return "DeviceConfig[privateKey=" + privateKey.map(k -> "(set)").orElse("(unchanged)")
        + ", listenPort=" + listenPort + ", fwmark=" + fwmark + ", replacePeers=" + replacePeers
        + ", peers=" + peers + "]";
  }

  /** Collects a {@link DeviceConfig}; text setters validate at once. Not thread-safe. */
  public static final class Builder {
    private Key privateKey;
    private Integer listenPort;
    private Integer fwmark;
    private boolean replacePeers;
    private final List<PeerSettings> peers = new ArrayList<>();

    private Builder() {}

    public Builder privateKey(Key key) { privateKey = key; return this; }
    public Builder privateKey(String base64) { return privateKey(Values.key("private key", base64)); }
    public Builder listenPort(int port) { listenPort = Values.port(port); return this; }
    public Builder fwmark(int mark) { fwmark = mark; return this; }
    public Builder replacePeers(boolean value) { replacePeers = value; return this; }
    public Builder peer(PeerSettings peer) { peers.add(Objects.requireNonNull(peer)); return this; }
    public Builder peers(List<PeerSettings> values) { values.forEach(this::peer); return this; }

    public DeviceConfig build() {
      return new DeviceConfig(Optional.ofNullable(privateKey),
          listenPort == null ? OptionalInt.empty() : OptionalInt.of(listenPort),
          fwmark == null ? OptionalInt.empty() : OptionalInt.of(fwmark), replacePeers, peers);
    }
  }
}
