package io.partynet.wireguard.jna.internal.nt;

import io.partynet.Key;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A whole wireguard-nt configuration buffer: the {@code WIREGUARD_INTERFACE} and its peers. The
 * optional fields are the ones flagged {@code WIREGUARD_INTERFACE_HAS_*}; absent means "leave
 * unchanged" when setting and "not reported" when reading.
 *
 * <p>Immutable and thread-safe; {@link #toString()} never shows the private key.
 */
public record NtInterface(
    Optional<Key> privateKey,
    Optional<Key> publicKey,
    OptionalInt listenPort,
    boolean replacePeers,
    List<NtPeer> peers) {

  public NtInterface {
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(listenPort, "listenPort");
    if (listenPort.isPresent() && (listenPort.getAsInt() < 0 || listenPort.getAsInt() > 0xFFFF)) {
      throw new IllegalArgumentException("listen port must be 0..65535: " + listenPort.getAsInt());
    }
    peers = List.copyOf(peers);
  }

  /** A buffer that changes nothing on the interface itself and carries only {@code peers}. */
  public static NtInterface peersOnly(List<NtPeer> peers) {
    return new NtInterface(Optional.empty(), Optional.empty(), OptionalInt.empty(), false, peers);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link NtInterface}; not thread-safe. */
  public static final class Builder {
    private Key privateKey;
    private Key publicKey;
    private Integer listenPort;
    private boolean replacePeers;
    private final List<NtPeer> peers = new ArrayList<>();

    private Builder() {}

    public Builder privateKey(Key key) {
      this.privateKey = key;
      return this;
    }

    public Builder publicKey(Key key) {
      this.publicKey = key;
      return this;
    }

    public Builder listenPort(int port) {
      this.listenPort = port;
      return this;
    }

    public Builder replacePeers(boolean value) {
      this.replacePeers = value;
      return this;
    }

    public Builder addPeer(NtPeer peer) {
      peers.add(Objects.requireNonNull(peer, "peer"));
      return this;
    }

    public NtInterface build() {
      return new NtInterface(Optional.ofNullable(privateKey), Optional.ofNullable(publicKey),
          listenPort == null ? OptionalInt.empty() : OptionalInt.of(listenPort), replacePeers, peers);
    }
  }
}
