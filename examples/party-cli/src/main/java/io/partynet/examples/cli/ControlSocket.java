package io.partynet.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.function.Function;

/**
 * How {@code party status}, {@code say}, {@code expose}, {@code forward} and {@code leave} reach the
 * member running in the foreground: a unix-domain socket {@code control.sock} in the member's home,
 * readable and writable by its owner only (nothing is reachable from the network). One request line
 * ({@code status}, {@code leave}, {@code say TEXT}, {@code expose tcp 25565 127.0.0.1:25565},
 * {@code forward udp 7777 10.77.0.1:7777}), one JSON answer line, then the connection closes. The
 * member parses and checks every request again; what it sets up lives as long as the member. Every read and write has a
 * deadline and a size limit.
 *
 * <p>The server side is used from its accept thread only; the static client methods are thread-safe.
 */
final class ControlSocket implements AutoCloseable {
  static final String FILE_NAME = "control.sock";
  /** sun_path holds 108 bytes on Linux including the terminating NUL. */
  private static final int MAX_PATH_BYTES = 107;
  /**
   * The longest request: {@code say} with {@link Chat#MAX_TEXT} characters of up to 4 UTF-8 bytes
   * each (the member answers a message over {@link Chat#MAX_TEXT} bytes with a clear error).
   */
  private static final int MAX_REQUEST = 16 + 4 * Chat.MAX_TEXT;
  private static final int MAX_RESPONSE = 1 << 20;
  private static final Duration SERVER_IO_TIMEOUT = Duration.ofSeconds(5);

  private final Path path;
  private final ServerSocketChannel server;
  private final Thread acceptor;

  /** Held while a request is answered, so that {@link #close()} lets the last answer reach its client. */
  private final java.util.concurrent.locks.ReentrantLock answering = new java.util.concurrent.locks.ReentrantLock();

  private ControlSocket(Path path, ServerSocketChannel server, Function<String, JsonNode> handler) {
    this.path = path;
    this.server = server;
    this.acceptor = new Thread(() -> acceptLoop(handler), "party-cli-control");
    acceptor.setDaemon(true);
  }

  /**
   * Listens on {@code home}/control.sock; {@code handler} answers each request line.
   *
   * @throws CliException when another member already runs in {@code home}
   */
  static ControlSocket listen(Path home, Function<String, JsonNode> handler) throws CliException, IOException {
    Path path = socketPath(home);
    if (Files.exists(path)) {
      if (isAnswering(path)) {
        throw new CliException(ExitCode.FAILURE, "a party member is already running with home " + home
            + "; use 'party status' or 'party leave', or pick another --home");
      }
      Files.deleteIfExists(path); // left behind by a member that was killed
    }
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      server.bind(UnixDomainSocketAddress.of(path));
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException | UnsupportedOperationException e) {
      server.close();
      throw new IOException("cannot listen on " + path + ": " + e.getMessage(), e);
    }
    ControlSocket socket = new ControlSocket(path, server, handler);
    socket.acceptor.start();
    return socket;
  }

  /** Whether a member is running with {@code home} (its control socket answers). */
  static boolean memberRunning(Path home) {
    try {
      Path path = socketPath(home);
      return Files.exists(path) && isAnswering(path);
    } catch (CliException e) {
      return false;
    }
  }

  private static boolean isAnswering(Path path) {
    try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
      return probe.isConnected();
    } catch (IOException e) {
      return false;
    }
  }

  static Path socketPath(Path home) throws CliException {
    Path path = home.toAbsolutePath().normalize().resolve(FILE_NAME);
    if (path.toString().getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
      throw new CliException(ExitCode.USAGE, "the home directory path is too long for a control socket ("
          + path + "); use a shorter --home");
    }
    return path;
  }

  /**
   * Sends {@code command} to the member running in {@code home} and returns its answer.
   *
   * @throws CliException NOT_FOUND when no member runs there, FAILURE when it does not answer in time
   */
  static JsonNode request(Path home, String command, Duration timeout) throws CliException {
    Path path = socketPath(home);
    if (!Files.exists(path)) {
      throw noMember(home);
    }
    try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
      long deadline = System.nanoTime() + timeout.toNanos();
      write(channel, command + "\n", deadline);
      String line = readLine(channel, MAX_RESPONSE, deadline);
      return StatusView.MAPPER.readTree(line);
    } catch (java.net.SocketException e) {
      throw noMember(home);
    } catch (IOException e) {
      throw new CliException(ExitCode.FAILURE, "the member running with home " + home + " did not answer: "
          + e.getMessage());
    }
  }

  private static CliException noMember(Path home) {
    return new CliException(ExitCode.NOT_FOUND, "no party member is running with home " + home
        + "; start one with 'party create' or 'party join'");
  }

  private void acceptLoop(Function<String, JsonNode> handler) {
    while (server.isOpen()) {
      try (SocketChannel client = server.accept()) {
        answering.lock();
        try {
          long deadline = System.nanoTime() + SERVER_IO_TIMEOUT.toNanos();
          String request = readLine(client, MAX_REQUEST, deadline).trim();
          JsonNode answer = handler.apply(request);
          write(client, StatusView.MAPPER.writeValueAsString(answer) + "\n",
              System.nanoTime() + SERVER_IO_TIMEOUT.toNanos());
        } finally {
          answering.unlock();
        }
      } catch (IOException | RuntimeException e) {
        if (!server.isOpen()) {
          return;
        }
        System.err.println("party: a control request failed: " + e.getMessage());
      }
    }
  }

  private static String readLine(SocketChannel channel, int limit, long deadline) throws IOException {
    channel.configureBlocking(false);
    ByteBuffer buffer = ByteBuffer.allocate(limit);
    try (Selector selector = Selector.open()) {
      channel.register(selector, SelectionKey.OP_READ);
      while (true) {
        long remaining = (deadline - System.nanoTime()) / 1_000_000;
        if (remaining <= 0) {
          throw new IOException("timed out");
        }
        selector.select(remaining);
        int n = channel.read(buffer);
        for (int i = buffer.position() - Math.max(n, 0); i < buffer.position(); i++) {
          if (buffer.get(i) == '\n') {
            return new String(buffer.array(), 0, i, StandardCharsets.UTF_8);
          }
        }
        if (n < 0) {
          throw new IOException("connection closed before a full line");
        }
        if (!buffer.hasRemaining()) {
          throw new IOException("line longer than " + limit + " bytes");
        }
      }
    }
  }

  private static void write(SocketChannel channel, String text, long deadline) throws IOException {
    channel.configureBlocking(false);
    ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    try (Selector selector = Selector.open()) {
      channel.register(selector, SelectionKey.OP_WRITE);
      while (buffer.hasRemaining()) {
        long remaining = (deadline - System.nanoTime()) / 1_000_000;
        if (remaining <= 0) {
          throw new IOException("timed out");
        }
        selector.select(remaining);
        channel.write(buffer);
      }
    }
  }

  @Override
  public void close() {
    try {
      // A 'leave' request ends the member: its answer must still be written before the JVM exits.
      if (answering.tryLock(SERVER_IO_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        answering.unlock();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      server.close();
      Files.deleteIfExists(path);
    } catch (IOException e) {
      System.err.println("party: could not remove " + path + ": " + e.getMessage());
    }
  }
}
