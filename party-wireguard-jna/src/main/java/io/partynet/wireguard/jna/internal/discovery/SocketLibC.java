package io.partynet.wireguard.jna.internal.discovery;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * The libc socket calls the Linux discovery tap needs, named and typed as in C. Return values are
 * unchecked here; {@link LinuxDiscoveryTap} turns failures into exceptions.
 *
 * <p>Thread-safe (libc's own guarantees).
 */
interface SocketLibC extends Library {
  SocketLibC INSTANCE = Native.load("c", SocketLibC.class);

  int AF_INET = 2;
  int AF_PACKET = 17;
  int SOCK_DGRAM = 2;
  int SOCK_RAW = 3;
  int SOCK_CLOEXEC = 0x80000;
  int IPPROTO_IP = 0;
  int IPPROTO_RAW = 255;
  int SOL_SOCKET = 1;
  /** linux/socket.h; PACKET_STATISTICS from linux/if_packet.h. */
  int SOL_PACKET = 263;
  int PACKET_STATISTICS = 6;
  int SO_BROADCAST = 6;
  int SO_RCVBUF = 8;
  int SO_RCVBUFFORCE = 33;
  int SO_BINDTODEVICE = 25;
  int SO_ATTACH_FILTER = 26;
  int IP_ADD_MEMBERSHIP = 35;
  int ETH_P_ALL = 0x0003;
  int PACKET_OUTGOING = 4;
  int MSG_DONTWAIT = 0x40;
  short POLLIN = 0x1;
  int EAGAIN = 11;
  int EINTR = 4;

  int socket(int domain, int type, int protocol);

  int bind(int fd, byte[] address, int addressLength);

  int setsockopt(int fd, int level, int name, byte[] value, int valueLength);

  int setsockopt(int fd, int level, int name, Pointer value, int valueLength);

  int getsockopt(int fd, int level, int name, byte[] value, int[] valueLength);

  NativeLong sendto(int fd, byte[] buffer, NativeLong length, int flags, byte[] address, int addressLength);

  NativeLong recvfrom(int fd, byte[] buffer, NativeLong length, int flags, byte[] address, int[] addressLength);

  int poll(byte[] pollfds, NativeLong count, int timeoutMillis);

  int if_nametoindex(String name);

  int close(int fd);

  String strerror(int errnum);
}
