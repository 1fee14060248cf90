package io.partynet.wireguard.jna.internal.device;

import io.partynet.Key;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A WireGuard device as read back from the kernel or a userspace daemon. The userspace protocol
 * reports neither the interface index nor the public key: those are empty/0 there.
 *
 * @param interfaceName the interface, or empty when the transport does not report it
 * @param interfaceIndex the kernel's ifindex, 0 when unknown
 * @param fwmark unsigned 32-bit value held in an int, 0 when off
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows the private key.
 */
public record DeviceState(
    Optional<String> interfaceName,
    int interfaceIndex,
    Optional<Key> privateKey,
    Optional<Key> publicKey,
    int listenPort,
    int fwmark,
    List<PeerState> peers) {

  public DeviceState {
    Objects.requireNonNull(interfaceName, "interfaceName");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(publicKey, "publicKey");
    Values.port(listenPort);
    peers = List.copyOf(peers);
  }

  /** The peer with this public key, if configured. */
  public Optional<PeerState> peer(Key publicKey) {
    return peers.stream().filter(p -> p.publicKey().equals(publicKey)).findFirst();
  }

  @Override
  public String toString() {
    return "DeviceState[interfaceName=" + interfaceName + ", interfaceIndex=" + interfaceIndex
        + ", privateKey=" + privateKey.map(k -> "(set)").orElse("(none)") + ", publicKey="
        + publicKey.map(Key::toBase64) + ", listenPort=" + listenPort + ", fwmark="
        + Integer.toUnsignedString(fwmark) + ", peers=" + peers + "]";
  }
}
