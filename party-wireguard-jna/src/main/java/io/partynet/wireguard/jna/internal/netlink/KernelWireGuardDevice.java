package io.partynet.wireguard.jna.internal.netlink;

import io.partynet.wireguard.jna.internal.device.DeviceConfig;
import io.partynet.wireguard.jna.internal.device.DeviceState;
import io.partynet.wireguard.jna.internal.device.WireGuardDevice;
import java.io.IOException;
import java.util.List;

/**
 * A kernel WireGuard interface configured through the {@code wireguard} generic netlink family.
 * A large set operation is sent as several messages, each acknowledged before the next.
 *
 * <p>Thread-safe: the socket serialises requests.
 */
public final class KernelWireGuardDevice implements WireGuardDevice {
  private final GenericNetlink genl;
  private final int familyId;
  private final String interfaceName;
  private final int messageLimit;

  /** {@code messageLimit} bounds each SET_DEVICE message ({@value WgMessages#DEFAULT_MESSAGE_LIMIT} normally). */
  public KernelWireGuardDevice(GenericNetlink genl, int familyId, String interfaceName, int messageLimit) {
    this.genl = genl;
    this.familyId = familyId;
    this.interfaceName = interfaceName;
    this.messageLimit = messageLimit;
  }

  public KernelWireGuardDevice(GenericNetlink genl, int familyId, String interfaceName) {
    this(genl, familyId, interfaceName, WgMessages.DEFAULT_MESSAGE_LIMIT);
  }

  @Override
  public void set(DeviceConfig config) throws IOException {
    List<byte[]> messages = WgMessages.setDevice(familyId, interfaceName, config, messageLimit);
    for (int i = 0; i < messages.size(); i++) {
      genl.acknowledged(messages.get(i),
          "configure WireGuard interface " + interfaceName + " (message " + (i + 1) + "/" + messages.size() + ")");
    }
  }

  @Override
  public DeviceState get() throws IOException {
    return WgDeviceDump.parse(genl.query(WgMessages.getDevice(familyId, interfaceName),
        "read WireGuard interface " + interfaceName));
  }
}
