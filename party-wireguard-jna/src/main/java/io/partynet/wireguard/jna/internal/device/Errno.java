package io.partynet.wireguard.jna.internal.device;

import java.util.Arrays;

/**
 * The Linux errno values WireGuard, netlink and the userspace API report, with a hint for each
 * that has an obvious fix. Userspace daemons report the same numbers in {@code errno=}.
 *
 * <p>Immutable and thread-safe.
 */
public enum Errno {
  EPERM(1, "operation not permitted: run as root or with CAP_NET_ADMIN"),
  ENOENT(2, "no such entry"),
  ESRCH(3, "no such process"),
  EINTR(4, "interrupted"),
  EIO(5, "I/O error"),
  EBADF(9, "bad file descriptor"),
  EAGAIN(11, "try again"),
  ENOMEM(12, "out of memory"),
  EACCES(13, "permission denied: run as root or with CAP_NET_ADMIN"),
  EFAULT(14, "bad address"),
  EBUSY(16, "device or resource busy"),
  EEXIST(17, "already exists: pick another interface name or remove the old one"),
  ENODEV(19, "no such device: the interface does not exist"),
  EINVAL(22, "invalid argument"),
  ENOSPC(28, "no space left"),
  ERANGE(34, "value out of range"),
  EMSGSIZE(90, "message too long"),
  EPROTONOSUPPORT(93, "protocol not supported"),
  EOPNOTSUPP(95, "operation not supported: the kernel lacks this link kind or module"),
  EPFNOSUPPORT(96, "protocol family not supported (WireGuard protocol version)"),
  EAFNOSUPPORT(97, "address family not supported"),
  EADDRINUSE(98, "address already in use: another socket holds the listen port"),
  EADDRNOTAVAIL(99, "address not available"),
  ENOBUFS(105, "no buffer space: the socket receive buffer overflowed"),
  ETIMEDOUT(110, "timed out"),
  UNKNOWN(-1, "unknown error");

  private final int number;
  private final String description;

  Errno(int number, String description) {
    this.number = number;
    this.description = description;
  }

  public int number() {
    return number;
  }

  public String description() {
    return description;
  }

  /** The constant for a positive errno (a negated one from a netlink ack works too). */
  public static Errno of(int number) {
    int n = Math.abs(number);
    return Arrays.stream(values()).filter(e -> e.number == n).findFirst().orElse(UNKNOWN);
  }
}
