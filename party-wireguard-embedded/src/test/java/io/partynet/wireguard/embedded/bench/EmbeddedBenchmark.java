package io.partynet.wireguard.embedded.bench;

import com.sun.management.ThreadMXBean;
import io.partynet.Endpoint;
import io.partynet.IpPrefix;
import io.partynet.Key;
import io.partynet.PartyDatagramSocket;
import io.partynet.spi.InterfaceConfig;
import io.partynet.spi.PeerConfig;
import io.partynet.wireguard.embedded.internal.EmbeddedBackend;
import io.partynet.wireguard.embedded.internal.crypto.X25519;
import io.partynet.wireguard.embedded.internal.noise.Handshake;
import io.partynet.wireguard.embedded.internal.noise.Noise;
import io.partynet.wireguard.embedded.internal.noise.StaticIdentity;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures the embedded backend and compares it with wireguard-go on the same machine:
 * <ul>
 *   <li>packets/s and Mbit/s of UDP through the tunnel for IP packet sizes 64, 512 and 1400 bytes:
 *       embedded (two backends in this JVM on loopback, a sending and a draining thread) against
 *       wireguard-go (two wireguard-go TUN interfaces in two network namespaces joined by a veth,
 *       kernel UDP sockets in separate JVMs), printed with the ratio;</li>
 *   <li>CPU time per complete handshake (both sides, in one thread);</li>
 *   <li>bytes allocated per packet on the sending thread and on the receive thread, in the steady
 *       state (com.sun.management.ThreadMXBean#getThreadAllocatedBytes).</li>
 * </ul>
 * Run: {@code java -cp <test classpath> io.partynet.wireguard.embedded.bench.EmbeddedBenchmark [seconds]}.
 * The wireguard-go part needs root, wireguard-go, wg and ip; it is skipped otherwise.
 */
public final class EmbeddedBenchmark {
  private static final int[] SIZES = {64, 512, 1400};
  private static final SecureRandom RANDOM = new SecureRandom();

  private EmbeddedBenchmark() {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
    System.out.printf("CPU per handshake (initiation+response, both sides): %.2f ms%n", handshakeCpuMillis(300));
    Map<Integer, double[]> embedded = new LinkedHashMap<>();
    try (Pair pair = new Pair()) {
      for (int size : SIZES) {
        embedded.put(size, pair.throughput(size, seconds));
      }
      pair.allocations(200_000);
    }
    Map<Integer, double[]> reference = new LinkedHashMap<>();
    if (wireGuardGoAvailable()) {
      for (int size : SIZES) {
        reference.put(size, wireGuardGoThroughput(size, seconds));
      }
    } else {
      System.out.println("wireguard-go comparison skipped: needs root, wireguard-go, wg, ip");
    }
    System.out.println();
    System.out.println("IP size | embedded pkt/s | embedded Mbit/s | wireguard-go pkt/s | wireguard-go Mbit/s | ratio");
    for (int size : SIZES) {
      double[] e = embedded.get(size);
      double[] r = reference.get(size);
      if (r == null) {
        System.out.printf("%7d | %14.0f | %15.1f | %18s | %19s | %s%n", size, e[0], e[1], "-", "-", "-");
      } else {
        System.out.printf("%7d | %14.0f | %15.1f | %18.0f | %19.1f | %.2f%n", size, e[0], e[1], r[0], r[1],
            e[0] / r[0]);
      }
    }
  }

  static double handshakeCpuMillis(int rounds) throws Exception {
    StaticIdentity alice = new StaticIdentity(X25519.generatePrivateKey(RANDOM));
    StaticIdentity bob = new StaticIdentity(X25519.generatePrivateKey(RANDOM));
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    long start = 0;
    for (int i = -50; i < rounds; i++) {
      if (i == 0) {
        start = bean.getCurrentThreadCpuTime();
      }
      Handshake a = new Handshake(alice, bob.publicKey(), null);
      Handshake b = new Handshake(bob, alice.publicKey(), null);
      byte[] init = Noise.createInitiation(alice, a, 1, Instant.now(), RANDOM);
      b.acceptInitiation(Noise.consumeInitiation(bob, init, 0), 0);
      byte[] response = Noise.createResponse(b, 2, RANDOM);
      Noise.consumeResponse(alice, a, response, 0);
      Noise.deriveKeypair(a, 0);
      Noise.deriveKeypair(b, 0);
    }
    return (bean.getCurrentThreadCpuTime() - start) / 1e6 / rounds;
  }

  /** Two embedded backends on loopback: A sends, B receives. */
  public static final class Pair implements AutoCloseable {
    final EmbeddedBackend a = EmbeddedBackend.builder().bindAddress(InetAddress.getLoopbackAddress()).build();
    final EmbeddedBackend b = EmbeddedBackend.builder().bindAddress(InetAddress.getLoopbackAddress()).build();
    final int portB;

    public Pair() throws IOException {
      Key privA = Key.fromBytes(X25519.generatePrivateKey(RANDOM));
      Key privB = Key.fromBytes(X25519.generatePrivateKey(RANDOM));
      int portA = a.up(new InterfaceConfig("pnebenchA", privA, 0, IpPrefix.parse("10.66.0.1/24"), 1420));
      portB = b.up(new InterfaceConfig("pnebenchB", privB, 0, IpPrefix.parse("10.66.0.2/24"), 1420));
      a.addPeer(new PeerConfig(Key.fromBytes(X25519.publicKey(privB.toBytes())), null, new Endpoint("127.0.0.1", portB),
          List.of(IpPrefix.parse("10.66.0.2/32")), 0));
      b.addPeer(new PeerConfig(Key.fromBytes(X25519.publicKey(privA.toBytes())), null, new Endpoint("127.0.0.1", portA),
          List.of(IpPrefix.parse("10.66.0.1/32")), 0));
    }

    double[] throughput(int ipSize, double seconds) throws Exception {
      int payload = ipSize - 28;
      AtomicLong received = new AtomicLong();
      try (PartyDatagramSocket sender = a.userspaceNetwork().orElseThrow().openDatagramSocket(0);
          PartyDatagramSocket sink = b.userspaceNetwork().orElseThrow().openDatagramSocket(6000)) {
        ByteBuffer buffer = ByteBuffer.allocate(payload);
        sender.send("10.66.0.2", 6000, buffer.clear());
        if (sink.receive(Duration.ofSeconds(5)) == null) {
          throw new IOException("no handshake between the benchmark peers");
        }
        Thread drain = new Thread(() -> {
          try {
            while (!Thread.currentThread().isInterrupted()) {
              if (sink.receive(Duration.ofMillis(100)) != null) {
                received.incrementAndGet();
              }
            }
          } catch (InterruptedException | IOException e) {
            Thread.currentThread().interrupt();
          }
        });
        drain.start();
        long warmEnd = System.nanoTime() + 500_000_000L;
        while (System.nanoTime() < warmEnd) {
          sender.send("10.66.0.2", 6000, buffer.clear());
        }
        received.set(0);
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
          sender.send("10.66.0.2", 6000, buffer.clear());
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        Thread.sleep(200);
        drain.interrupt();
        drain.join();
        double pps = received.get() / elapsed;
        return new double[] {pps, pps * ipSize * 8 / 1e6};
      }
    }

    /** Allocation per packet on the sending thread and on B's receive thread (no socket bound: no app copy). */
    public void allocations(int packets) throws Exception {
      ThreadMXBean bean = (ThreadMXBean) ManagementFactory.getThreadMXBean();
      Thread receiver = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().equals("partynet-wg-embedded-" + portB)).findFirst().orElseThrow();
      try (PartyDatagramSocket sender = a.userspaceNetwork().orElseThrow().openDatagramSocket(0)) {
        ByteBuffer buffer = ByteBuffer.allocate(100);
        for (int i = 0; i < 100_000; i++) {
          sender.send("10.66.0.2", 6001, buffer.clear());
        }
        Thread.sleep(300);
        long rxBefore = b.peerStats().get(0).rxBytes();
        long recvAllocBefore = bean.getThreadAllocatedBytes(receiver.getId());
        long sendAllocBefore = bean.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (int i = 0; i < packets; i++) {
          sender.send("10.66.0.2", 6001, buffer.clear());
        }
        long sendAlloc = bean.getThreadAllocatedBytes(Thread.currentThread().getId()) - sendAllocBefore;
        Thread.sleep(300);
        long recvAlloc = bean.getThreadAllocatedBytes(receiver.getId()) - recvAllocBefore;
        long wireLength = 16 + 128 + 16;
        long receivedPackets = (b.peerStats().get(0).rxBytes() - rxBefore) / wireLength;
        System.out.printf("allocations: sending thread %.1f B/packet (%d packets); receive thread %.1f B/packet"
            + " (%d packets)%n", (double) sendAlloc / packets, packets, (double) recvAlloc / Math.max(1, receivedPackets),
            receivedPackets);
      }
    }

    @Override
    public void close() {
      a.close();
      b.close();
    }
  }

  static boolean wireGuardGoAvailable() {
    return "root".equals(System.getProperty("user.name")) && Files.isExecutable(Paths.get("/usr/bin/wireguard-go"))
        && Files.isExecutable(Paths.get("/usr/bin/wg")) && Files.exists(Paths.get("/dev/net/tun"));
  }

  /** Two wireguard-go interfaces in two namespaces joined by a veth; kernel UDP sockets through them. */
  static double[] wireGuardGoThroughput(int ipSize, double seconds) throws Exception {
    String id = Integer.toString(0x100000 + RANDOM.nextInt(0xEFFFFF), 36);
    String nsA = "pne-" + id + "a";
    String nsB = "pne-" + id + "b";
    List<Process> processes = new ArrayList<>();
    try {
      run("ip", "netns", "add", nsA);
      run("ip", "netns", "add", nsB);
      run("ip", "link", "add", "pne" + id + "x", "type", "veth", "peer", "name", "pne" + id + "y");
      run("ip", "link", "set", "pne" + id + "x", "netns", nsA);
      run("ip", "link", "set", "pne" + id + "y", "netns", nsB);
      run("ip", "-n", nsA, "addr", "add", "198.19.0.1/30", "dev", "pne" + id + "x");
      run("ip", "-n", nsB, "addr", "add", "198.19.0.2/30", "dev", "pne" + id + "y");
      run("ip", "-n", nsA, "link", "set", "pne" + id + "x", "up");
      run("ip", "-n", nsB, "link", "set", "pne" + id + "y", "up");
      Key privA = Key.fromBytes(X25519.generatePrivateKey(RANDOM));
      Key privB = Key.fromBytes(X25519.generatePrivateKey(RANDOM));
      Path dir = Files.createTempDirectory("pne-bench");
      String[] ifs = {"pne" + id + "wa", "pne" + id + "wb"};
      String[] nss = {nsA, nsB};
      Key[] privs = {privA, privB};
      for (int i = 0; i < 2; i++) {
        Process p = new ProcessBuilder("ip", "netns", "exec", nss[i], "wireguard-go", "-f", ifs[i])
            .redirectErrorStream(true).redirectOutput(dir.resolve("wg" + i + ".log").toFile()).start();
        processes.add(p);
        Path sock = Paths.get("/var/run/wireguard", ifs[i] + ".sock");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!Files.exists(sock)) {
          if (System.nanoTime() > deadline) {
            throw new IOException("wireguard-go did not start");
          }
          Thread.sleep(20);
        }
        Path key = dir.resolve("k" + i);
        Files.writeString(key, privs[i].toBase64() + "\n");
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Key peer = Key.fromBytes(X25519.publicKey(privs[1 - i].toBytes()));
        run("ip", "netns", "exec", nss[i], "wg", "set", ifs[i], "private-key", key.toString(), "listen-port",
            Integer.toString(51820 + i), "peer", peer.toBase64(), "endpoint", "198.19.0." + (2 - i) + ":" + (51821 - i),
            "allowed-ips", "10.201.0." + (2 - i) + "/32");
        run("ip", "-n", nss[i], "addr", "add", "10.201.0." + (i + 1) + "/24", "dev", ifs[i]);
        run("ip", "-n", nss[i], "link", "set", ifs[i], "up");
      }
      String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
      String cp = System.getProperty("java.class.path");
      Process receiver = new ProcessBuilder("ip", "netns", "exec", nsB, java, "-cp", cp, UdpBlast.class.getName(),
          "recv", "10.201.0.2", "6000", Double.toString(seconds + 1.5)).start();
      processes.add(receiver);
      BufferedReader out = new BufferedReader(new InputStreamReader(receiver.getInputStream(), StandardCharsets.UTF_8));
      if (!"ready".equals(out.readLine())) {
        throw new IOException("receiver did not start");
      }
      // Handshake first (one datagram), then the timed flood.
      run("ip", "netns", "exec", nsA, java, "-cp", cp, UdpBlast.class.getName(), "send", "10.201.0.2", "6000",
          Integer.toString(ipSize - 28), "0.3");
      Process sender = new ProcessBuilder("ip", "netns", "exec", nsA, java, "-cp", cp, UdpBlast.class.getName(),
          "send", "10.201.0.2", "6000", Integer.toString(ipSize - 28), Double.toString(seconds)).start();
      processes.add(sender);
      sender.waitFor(60, TimeUnit.SECONDS);
      receiver.waitFor(60, TimeUnit.SECONDS);
      long count = Long.parseLong(out.readLine().trim());
      double pps = count / seconds;
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(dir);
      return new double[] {pps, pps * ipSize * 8 / 1e6};
    } finally {
      for (Process p : processes) {
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
      runQuietly("ip", "netns", "del", nsA);
      runQuietly("ip", "netns", "del", nsB);
    }
  }

  private static void run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("timed out: " + String.join(" ", cmd));
    }
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + ": " + new String(p.getInputStream().readAllBytes(),
          StandardCharsets.UTF_8));
    }
  }

  private static void runQuietly(String... cmd) {
    try {
      run(cmd);
    } catch (IOException | InterruptedException e) {
      System.err.println("cleanup: " + e.getMessage());
    }
  }
}
