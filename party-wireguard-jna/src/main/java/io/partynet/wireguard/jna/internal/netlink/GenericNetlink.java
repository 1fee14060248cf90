package io.partynet.wireguard.jna.internal.netlink;

import io.partynet.wireguard.jna.internal.device.Errno;
import io.partynet.wireguard.jna.internal.device.ErrnoException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A generic netlink (NETLINK_GENERIC) socket: resolves family names to ids and exchanges
 * requests with a family. Thread-safe: requests are serialised on one socket.
 */
public final class GenericNetlink implements AutoCloseable {
  /** The kernel's limit on family names, including the terminating NUL (linux/genetlink.h). */
  static final int GENL_NAMSIZ = 16;

  private final NetlinkSocket socket;

  private GenericNetlink(NetlinkSocket socket) {
    this.socket = socket;
  }

  public static GenericNetlink open(Duration timeout) throws IOException {
    return new GenericNetlink(NetlinkSocket.open(LibC.NETLINK_GENERIC, timeout));
  }

  /** Opens generic netlink inside {@code namespace}; families act on that namespace's devices. */
  public static GenericNetlink open(NetworkNamespace namespace, Duration timeout) throws IOException {
    Objects.requireNonNull(namespace, "namespace");
    return namespace.call(() -> open(timeout), timeout);
  }

  /**
   * The id of a family, or empty when the kernel does not have it (the kernel tries to load the
   * module that provides it first).
   */
  public OptionalInt familyId(String name) throws IOException {
    if (name.isEmpty() || name.length() > GENL_NAMSIZ - 1) {
      throw new IllegalArgumentException("a generic netlink family name has 1.." + (GENL_NAMSIZ - 1) + " characters: " + name);
    }
    try {
      List<NetlinkMessage> answer = socket.query(GenlMessages.getFamily(name), "resolve generic netlink family " + name);
      return OptionalInt.of(GenlMessages.parseFamilyId(answer, name));
    } catch (ErrnoException e) {
      if (e.errno() == Errno.ENOENT) {
        return OptionalInt.empty();
      }
      throw e;
    }
  }

  void acknowledged(byte[] request, String operation) throws IOException {
    socket.acknowledged(request, operation);
  }

  List<NetlinkMessage> query(byte[] request, String operation) throws IOException {
    return socket.query(request, operation);
  }

  @Override
  public void close() {
    socket.close();
  }
}
