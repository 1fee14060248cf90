package io.partynet.wireguard.jna.internal.netlink;

import java.nio.ByteBuffer;

/** A fixed-size kernel struct that writes itself at a buffer's position. Implementations are immutable. */
interface Packable {
  int size();

  void pack(ByteBuffer buffer);
}
