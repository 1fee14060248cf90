package io.partynet.wireguard.jna.internal.device;

import java.io.IOException;

/**
 * The configuration channel to one existing WireGuard interface: the kernel's generic netlink
 * family or a userspace daemon's UAPI socket. Implementations bound every call in time.
 *
 * <p>Implementations are thread-safe.
 */
public interface WireGuardDevice {

  /** Applies one set operation atomically from the caller's point of view. */
  void set(DeviceConfig config) throws IOException;

  /** Reads the whole device, with every peer and its counters. */
  DeviceState get() throws IOException;
}
