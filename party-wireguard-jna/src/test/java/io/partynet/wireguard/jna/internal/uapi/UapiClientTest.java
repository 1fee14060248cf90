package io.partynet.wireguard.jna.internal.uapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Key;
import io.partynet.wireguard.jna.internal.device.DeviceConfig;
import io.partynet.wireguard.jna.internal.device.Errno;
import io.partynet.wireguard.jna.internal.device.ErrnoException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The UAPI client against a scripted daemon on a unix socket in a temporary directory. */
class UapiClientTest {
  @TempDir
  Path dir;
  private ServerSocketChannel server;
  private Thread serverThread;
  private final BlockingQueue<String> requests = new LinkedBlockingQueue<>();

  /** Serves one connection per answer: records the request, replies with {@code answer.apply(request)}. */
  private Path serve(Function<String, String> answer) throws IOException {
    Path socket = dir.resolve("pnw0.sock");
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    serverThread = new Thread(() -> {
      while (server.isOpen()) {
        try (SocketChannel c = server.accept()) {
          StringBuilder request = new StringBuilder();
          ByteBuffer in = ByteBuffer.allocate(4096);
          while (!request.toString().endsWith("\n\n") && c.read(in.clear()) > 0) {
            request.append(StandardCharsets.UTF_8.decode(in.flip()));
          }
          requests.add(request.toString());
          String reply = answer.apply(request.toString());
          if (reply != null) {
            c.write(StandardCharsets.UTF_8.encode(reply));
          } else {
            Thread.sleep(2000);
          }
        } catch (IOException | InterruptedException e) {
          return;
        }
      }
    });
    serverThread.setDaemon(true);
    serverThread.start();
    return socket;
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
      serverThread.interrupt();
      serverThread.join(5000);
    }
  }

  @Test
  void setSendsTheEncodedRequestAndAcceptsErrnoZero() throws Exception {
    Path socket = serve(r -> "errno=0\n\n");
    DeviceConfig config = DeviceConfig.builder().listenPort(4242).build();
    new UapiClient(socket, Duration.ofSeconds(2)).set(config);
    assertEquals(UapiCodec.encodeSet(config), requests.take());
  }

  @Test
  void getDecodesTheAnswer() throws Exception {
    Path socket = serve(r -> UapiCodecTest.XPLATFORM_GET);
    assertEquals(12912, new UapiClient(socket, Duration.ofSeconds(2)).get().listenPort());
    assertEquals("get=1\n\n", requests.take());
  }

  @Test
  void errnoFromTheDaemonIsTyped() throws Exception {
    Path socket = serve(r -> "errno=98\n\n");
    ErrnoException e = assertThrows(ErrnoException.class,
        () -> new UapiClient(socket, Duration.ofSeconds(2)).set(DeviceConfig.builder().listenPort(1).build()));
    assertEquals(Errno.EADDRINUSE, e.errno());
  }

  @Test
  void silentDaemonTimesOut() throws Exception {
    Path socket = serve(r -> null);
    long start = System.nanoTime();
    IOException e = assertThrows(IOException.class, () -> new UapiClient(socket, Duration.ofMillis(300)).get());
    assertTrue(e.getMessage().contains("within"), e.getMessage());
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 1500, "the deadline bounds the wait");
  }

  @Test
  void answerCutShortIsMalformed() throws Exception {
    Path socket = serve(r -> "listen_port=1\n");
    assertThrows(MalformedUapiException.class, () -> new UapiClient(socket, Duration.ofSeconds(2)).get());
  }

  @Test
  void missingSocketSaysWhatToCheck() {
    IOException e = assertThrows(IOException.class,
        () -> new UapiClient(dir.resolve("absent.sock"), Duration.ofSeconds(1)).set(DeviceConfig.builder()
            .privateKey(Key.fromBytes(new byte[32])).build()));
    assertTrue(e.getMessage().contains("daemon"), e.getMessage());
    assertTrue(Files.notExists(dir.resolve("absent.sock")));
  }
}
