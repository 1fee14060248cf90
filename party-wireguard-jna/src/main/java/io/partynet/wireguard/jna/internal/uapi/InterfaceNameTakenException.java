package io.partynet.wireguard.jna.internal.uapi;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * The interface name the {@code uapi} backend was asked to use belongs to a link that no
 * userspace WireGuard daemon serves (a dummy, a veth, a kernel WireGuard interface, another
 * program's TUN). The backend leaves such a link alone: remove it or configure another name.
 *
 * <p>Immutable and thread-safe.
 */
public final class InterfaceNameTakenException extends IOException {
  private final String interfaceName;
  private final Optional<String> kind;

  public InterfaceNameTakenException(String interfaceName, Optional<String> kind) {
    super("interface " + interfaceName + " already exists and is not served by a userspace WireGuard daemon (link kind "
        + kind.orElse("unknown") + "); it is left untouched: remove it (ip link del " + interfaceName
        + ") or configure another interface name");
    this.interfaceName = Objects.requireNonNull(interfaceName, "interfaceName");
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  public String interfaceName() {
    return interfaceName;
  }

  /** The link's kind as rtnetlink reported it ({@code dummy}, {@code wireguard}, {@code tun}...). */
  public Optional<String> kind() {
    return kind;
  }
}
