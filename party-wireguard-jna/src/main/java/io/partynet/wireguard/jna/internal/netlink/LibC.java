package io.partynet.wireguard.jna.internal.netlink;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;

/**
 * The raw libc calls netlink needs, named and typed as in C. Return values are unchecked here;
 * {@link NetlinkSocket} and {@link NetworkNamespace} turn failures into exceptions. Addresses
 * and poll descriptors are passed as byte arrays laid out as the kernel structs.
 *
 * <p>Thread-safe (libc's own guarantees).
 */
interface LibC extends Library {
  LibC INSTANCE = Native.load("c", LibC.class);

  int AF_NETLINK = 16;
  int SOCK_RAW = 3;
  int SOCK_CLOEXEC = 0x80000;
  int NETLINK_ROUTE = 0;
  int NETLINK_GENERIC = 16;
  int SOL_NETLINK = 270;
  int NETLINK_EXT_ACK = 11;
  int SOL_SOCKET = 1;
  int SO_RCVBUF = 8;
  int MSG_TRUNC = 0x20;
  int MSG_DONTWAIT = 0x40;
  short POLLIN = 0x1;
  int O_RDONLY = 0;
  int O_CLOEXEC = 0x80000;
  int CLONE_NEWNET = 0x40000000;

  int socket(int domain, int type, int protocol);

  int bind(int fd, byte[] address, int addressLength);

  int getsockname(int fd, byte[] address, int[] addressLength);

  int setsockopt(int fd, int level, int name, int[] value, int valueLength);

  NativeLong sendto(int fd, byte[] buffer, NativeLong length, int flags, byte[] address, int addressLength);

  NativeLong recvfrom(int fd, byte[] buffer, NativeLong length, int flags, byte[] address, int[] addressLength);

  int poll(byte[] pollfds, NativeLong count, int timeoutMillis);

  int open(String path, int flags);

  int setns(int fd, int nstype);

  int close(int fd);

  String strerror(int errnum);
}
