package io.partynet.wireguard.jna.internal.uapi;

import io.partynet.wireguard.jna.internal.device.DeviceConfig;
import io.partynet.wireguard.jna.internal.device.DeviceState;
import io.partynet.wireguard.jna.internal.device.WireGuardDevice;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Talks to a userspace WireGuard daemon over its UAPI unix socket
 * ({@code /var/run/wireguard/IFNAME.sock}): one connection per request, a deadline on the whole
 * exchange, and a size limit on the answer.
 *
 * <p>Thread-safe: requests are serialised.
 */
public final class UapiClient implements WireGuardDevice {
  /** Where wireguard-go and boringtun put their sockets on Linux and macOS. */
  public static final Path DEFAULT_SOCKET_DIRECTORY = Path.of("/var/run/wireguard");

  private final Path socket;
  private final Duration timeout;
  private final LongSupplier nanoTime;

  public UapiClient(Path socket, Duration timeout, LongSupplier nanoTime) {
    this.socket = Objects.requireNonNull(socket, "socket");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
  }

  public UapiClient(Path socket, Duration timeout) {
    this(socket, timeout, System::nanoTime);
  }

  public static Path socketPath(Path directory, String interfaceName) {
    return directory.resolve(interfaceName + ".sock");
  }

  public Path socket() {
    return socket;
  }

  @Override
  public void set(DeviceConfig config) throws IOException {
    UapiCodec.decodeSetResponse(exchange(UapiCodec.encodeSet(config)));
  }

  @Override
  public DeviceState get() throws IOException {
    return UapiCodec.decodeGetResponse(exchange(UapiCodec.GET_REQUEST));
  }

  /** Sends one request and returns the answer up to and including its terminating empty line. */
  synchronized String exchange(String request) throws IOException {
    long deadline = nanoTime.getAsLong() + timeout.toNanos();
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
         Selector selector = Selector.open()) {
      channel.configureBlocking(false);
      connect(channel, selector, deadline);
      ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8));
      while (out.hasRemaining()) {
        if (channel.write(out) == 0) {
          await(channel, selector, SelectionKey.OP_WRITE, deadline, "send the request");
        }
      }
      return readAnswer(channel, selector, deadline);
    }
  }

  private void connect(SocketChannel channel, Selector selector, long deadline) throws IOException {
    try {
      if (!channel.connect(UnixDomainSocketAddress.of(socket))) {
        await(channel, selector, SelectionKey.OP_CONNECT, deadline, "connect");
        channel.finishConnect();
      }
    } catch (IOException e) {
      throw new IOException("UAPI socket " + socket + ": cannot connect (" + e.getMessage()
          + "); is the WireGuard daemon for this interface running?", e);
    }
  }

  private String readAnswer(SocketChannel channel, Selector selector, long deadline) throws IOException {
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    ByteBuffer in = ByteBuffer.allocate(64 * 1024);
    byte previous = 0;
    while (true) {
      in.clear();
      int n = channel.read(in);
      if (n < 0) {
        throw new MalformedUapiException("UAPI socket " + socket + " closed before the answer ended");
      }
      if (n == 0) {
        await(channel, selector, SelectionKey.OP_READ, deadline, "read the answer");
        continue;
      }
      answer.write(in.array(), 0, n);
      if (answer.size() > UapiCodec.MAX_MESSAGE_CHARS) {
        throw new MalformedUapiException("UAPI answer exceeds " + UapiCodec.MAX_MESSAGE_CHARS + " bytes");
      }
      byte beforeLast = n >= 2 ? in.get(n - 2) : previous;
      previous = in.get(n - 1);
      if (previous == '\n' && beforeLast == '\n') {
        return answer.toString(StandardCharsets.UTF_8);
      }
    }
  }

  private void await(SocketChannel channel, Selector selector, int op, long deadline, String what) throws IOException {
    long remaining = deadline - nanoTime.getAsLong();
    if (remaining <= 0) {
      throw new IOException("UAPI socket " + socket + ": could not " + what + " within " + timeout);
    }
    SelectionKey key = channel.register(selector, op);
    selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
    selector.selectedKeys().clear();
    key.interestOps(0);
  }
}
