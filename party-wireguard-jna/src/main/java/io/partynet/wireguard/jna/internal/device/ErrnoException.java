package io.partynet.wireguard.jna.internal.device;

import java.io.IOException;

/**
 * The kernel, libc or a userspace WireGuard daemon refused an operation with an errno.
 * {@link #errno()} is the typed value; {@link #number()} the raw one (also when not in {@link Errno}).
 *
 * <p>Immutable and thread-safe.
 */
public class ErrnoException extends IOException {
  private final int number;

  public ErrnoException(String operation, int number) {
    this(operation, number, "");
  }

  /** {@code detail} is extra text from the peer (a netlink extended ack), may be empty. */
  public ErrnoException(String operation, int number, String detail) {
    super(operation + " failed: " + label(number) + " (" + Errno.of(number).description() + ")"
        + (detail.isEmpty() ? "" : ": " + detail));
    this.number = Math.abs(number);
  }

  private static String label(int number) {
    Errno errno = Errno.of(number);
    return errno == Errno.UNKNOWN ? "errno " + Math.abs(number) : errno.name();
  }

  public Errno errno() {
    return Errno.of(number);
  }

  public int number() {
    return number;
  }
}
