package io.partynet.wireguard.jna.internal.discovery;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import io.partynet.wireguard.jna.internal.device.ErrnoException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The libc socket calls the Linux discovery tap needs, named and typed as in C. Return values are
 * unchecked by the calls; {@link #check} turns a failure into an exception.
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
  /** linux/in.h. */
  int IP_MULTICAST_IF = 32;
  int IP_ADD_MEMBERSHIP = 35;
  int IP_DROP_MEMBERSHIP = 36;
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

  /** Throws the errno of a call that returned {@code result} < 0, naming {@code operation}. */
  static void check(int result, String operation) throws IOException {
    if (result < 0) {
      throw new ErrnoException(operation, Native.getLastError());
    }
  }

  /** A C {@code int} option value. */
  static byte[] nativeInt(int value) {
    return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
  }
}
