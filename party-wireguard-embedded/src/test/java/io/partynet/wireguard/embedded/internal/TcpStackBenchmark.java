package io.partynet.wireguard.embedded.internal;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import io.partynet.Endpoint;
import io.partynet.IpPrefix;
import io.partynet.Key;
import io.partynet.PartyStreamSocket;
import io.partynet.TransportForward;
import io.partynet.TransportProtocol;
import io.partynet.spi.InterfaceConfig;
import io.partynet.spi.PartyNetwork;
import io.partynet.spi.PeerConfig;
import io.partynet.testing.lab.ProcCpu;
import io.partynet.wireguard.embedded.internal.crypto.X25519;
import io.partynet.wireguard.embedded.internal.stack.StackCounters;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The userspace TCP stack against kernel TCP over wireguard-go, on the same namespace path, in one
 * run: namespace A runs wireguard-go and the kernel-side servers (iperf3, a TCP echo); namespace
 * B runs a second wireguard-go with kernel TCP clients (the baseline); this JVM is the embedded
 * member. Prints throughput both ways (iperf3 through a forward, and a stream socket straight to
 * a sink) with the ratio embedded / kernel, round-trip percentiles of 64-byte TCP ping-pongs
 * (embedded, kernel over wireguard-go, raw loopback UDP), bytes allocated per TCP segment in the
 * steady state (after 16 MiB, once autotuning grew the buffers; all threads of this JVM,
 * {@link ThreadMXBean#getThreadAllocatedBytes}) and CPU per MiB. Needs root, wireguard-go, wg, ip, iperf3, socat, python3.
 *
 * <p>Run: {@code ./bench.sh party-wireguard-embedded io.partynet.wireguard.embedded.internal.TcpStackBenchmark [MiB]}
 *
 * <p>With {@code [MiB] receive ROUNDS} it measures only a forward's receiving direction (iperf3
 * {@code -R}), kernel and embedded alternately, {@code ROUNDS} times, and prints each round's
 * ratio, the sender's retransmissions, window growths, our threads' CPU and run-queue wait, and
 * the median ratio: one round is too noisy on a shared machine to tell a change from luck.
 */
public final class TcpStackBenchmark {
  private static final int ROUND_TRIPS = 3000;

  private TcpStackBenchmark() {}

  public static void main(String[] args) throws Exception {
    int mib = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int receiveRounds = args.length > 2 && args[1].equals("receive") ? Integer.parseInt(args[2]) : 0;
    SecureRandom random = new SecureRandom();
    Key embeddedKey = Key.fromBytes(X25519.generatePrivateKey(random));
    Key keyA = Key.fromBytes(X25519.generatePrivateKey(random));
    Key keyB = Key.fromBytes(X25519.generatePrivateKey(random));
    List<Process> processes = new ArrayList<>();
    try (WireGuardGoLab lab = new WireGuardGoLab();
        EmbeddedBackend backend = EmbeddedBackend.builder().bindAddress(InetAddress.getByName(lab.rootAddress()))
            .build();
        SecondNamespace b = new SecondNamespace(lab)) {
      lab.createNamespace();
      int embeddedPort = backend.up(new InterfaceConfig(lab.interfaceName("e"), embeddedKey, 0,
          IpPrefix.parse(lab.embeddedTunnelAddress() + "/24"), 1420));
      int portA = 42000 + random.nextInt(1000);
      lab.startWireGuardGo(keyA.toBase64(), portA, pub(embeddedKey).toBase64(), embeddedPort, "");
      backend.addPeer(new PeerConfig(pub(keyA), null, new Endpoint(lab.nsAddress(), portA),
          List.of(IpPrefix.parse(lab.wgTunnelAddress() + "/32")), 0));
      b.start(keyB, pub(keyA), portA);
      lab.wg("set", lab.wgInterface, "peer", pub(keyB).toBase64(), "endpoint", b.vethAddress(1) + ":" + b.port,
          "allowed-ips", b.tunnelAddress() + "/32");
      PartyNetwork net = backend.partyNetwork().orElseThrow();
      for (int i = 0; i < 100 && !backend.ping(lab.wgTunnelAddress(), Duration.ofMillis(300)); i++) {
        // the first pings wait for the handshake
      }
      processes.add(inNamespace(lab.namespace, "iperf3", "-s", "-B", lab.wgTunnelAddress(), "-p", "5201"));
      processes.add(inNamespace(lab.namespace, "socat", "-u", "TCP-LISTEN:5001,bind=" + lab.wgTunnelAddress()
          + ",reuseaddr,fork", "OPEN:/dev/null"));
      Path echo = lab.dir().resolve("echo.py");
      Files.writeString(echo, ECHO_SERVER.replace("HOST_IP", lab.wgTunnelAddress()));
      processes.add(inNamespace(lab.namespace, "python3", echo.toString()));
      for (int port : new int[] {5001, 5002, 5201}) {
        for (int i = 0; i < 200 && !inNamespaceOutput(lab.namespace, "ss", "-Hltn", "sport = :" + port)
            .contains(":" + port); i++) {
          Thread.sleep(50);
        }
      }
      b.run("ping", "-c", "2", "-W", "2", lab.wgTunnelAddress());

      System.out.printf("TCP throughput, %d MiB each, path: JVM or namespace B -> veth -> wireguard-go A -> kernel%n",
          mib);
      String n = mib + "M";
      // Two rounds: the first compiles the paths, C2 then recompiles what the first round's
      // profile missed (loss recovery, window growth) during the second, not in the measurements.
      for (int round = 0; round < 2; round++) {
        warmUp(net, lab);
        warmUpForward(net, lab, b);
        awaitCompilerQuiet();
      }
      if (receiveRounds > 0) {
        forwardReceiveRounds(backend, net, lab, b, n, receiveRounds);
        return;
      }
      OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      Map<String, LongSupplier> parties = new LinkedHashMap<>();
      parties.put("JVM", os::getProcessCpuTime);
      ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
      parties.put("(receive", () -> threadCpu(threads, "partynet-wg-embedded"));
      parties.put("deliver", () -> threadCpu(threads, "partynet-wg-deliver"));
      parties.put("send", () -> threadCpu(threads, "partynet-wg-send"));
      parties.put("pump", () -> threadCpu(threads, "partynet-forward-"));
      parties.put("main", () -> threadCpu(threads, "main"));
      // compiler threads are not among ThreadMXBean's threads; their time is what the JIT spent
      parties.put("JIT)", () -> ManagementFactory.getCompilationMXBean().getTotalCompilationTime() * 1_000_000L);
      parties.put("wireguard-go A", lab::wireGuardGoCpuNanos);
      parties.put("wireguard-go B", b::wireGuardGoCpuNanos);
      List<String> cpu = new ArrayList<>();
      PathCpu phase = PathCpu.start(parties);
      String kernelUpJson = b.run("iperf3", "-c", lab.wgTunnelAddress(), "-p", "5201", "-n", n, "-J");
      double kernelUp = iperf(kernelUpJson);
      cpu.add("  kernel send:      " + phase.end(mib).strip() + "; " + kernelRetransmits(kernelUpJson)
          + " retransmissions (iperf3)");
      phase = PathCpu.start(parties);
      double kernelDown = iperf(b.run("iperf3", "-c", lab.wgTunnelAddress(), "-p", "5201", "-n", n, "-R", "-J"));
      cpu.add("  kernel receive:   " + phase.end(mib).strip());
      double embUp;
      double embDown;
      try (TransportForward forward = net.forward(TransportProtocol.TCP, 0, lab.wgTunnelAddress(), 5201)) {
        String port = Integer.toString(forward.localAddress().getPort());
        StackCounters counters = backend.stackCounters();
        long segments = counters.tcpSegmentsSent.get();
        long fast = counters.tcpFastRetransmits.get();
        long spurious = counters.tcpSpuriousFastRetransmits.get();
        long timeouts = counters.tcpRetransmissionTimeouts.get();
        phase = PathCpu.start(parties);
        embUp = iperf(WireGuardGoLab.run("iperf3", "-c", "127.0.0.1", "-p", port, "-n", n, "-J"));
        // losses halve the congestion window: a sender that keeps cores idle may be window-bound
        cpu.add("  embedded send:    " + phase.end(mib).strip() + String.format("; %.0f segments sent per MiB; "
            + "%d fast retransmits (%d spurious), %d retransmission timeouts",
            (counters.tcpSegmentsSent.get() - segments) / (double) mib, counters.tcpFastRetransmits.get() - fast,
            counters.tcpSpuriousFastRetransmits.get() - spurious, counters.tcpRetransmissionTimeouts.get() - timeouts));
        segments = counters.tcpSegmentsSent.get();
        phase = PathCpu.start(parties);
        embDown = iperf(WireGuardGoLab.run("iperf3", "-c", "127.0.0.1", "-p", port, "-n", n, "-R", "-J"));
        cpu.add("  embedded receive: " + phase.end(mib).strip() + String.format("; %.0f segments sent per MiB",
            (counters.tcpSegmentsSent.get() - segments) / (double) mib));
      }
      System.out.printf("  kernel TCP over wireguard-go (iperf3):  send %8.1f Mbit/s  receive %8.1f Mbit/s%n",
          kernelUp, kernelDown);
      System.out.printf("  embedded via a forward (iperf3):        send %8.1f Mbit/s  receive %8.1f Mbit/s"
          + "  ratio %.2f / %.2f%n", embUp, embDown, embUp / kernelUp, embDown / kernelDown);
      cpu.forEach(System.out::println);
      direct(backend, net, lab, mib, kernelUp, parties);

      System.out.println("Round trip of a 64-byte TCP ping-pong (" + ROUND_TRIPS + " rounds), microseconds:");
      double[] udp = loopbackUdpRoundTrips();
      double[] kernel = parsePercentiles(b.run("python3", "-c", PING_CLIENT.replace("HOST_IP", lab.wgTunnelAddress())
          .replace("ROUNDS", Integer.toString(ROUND_TRIPS))));
      double[] embedded = embeddedRoundTrips(net, lab.wgTunnelAddress());
      printPercentiles("raw loopback UDP (JVM)", udp);
      printPercentiles("kernel TCP over wireguard-go", kernel);
      printPercentiles("embedded TCP", embedded);
      System.out.printf("  added by the embedded path vs kernel: p50 %+.0f, p99 %+.0f, p99.9 %+.0f%n",
          embedded[0] - kernel[0], embedded[1] - kernel[1], embedded[2] - kernel[2]);
    } finally {
      for (Process p : processes) {
        p.destroyForcibly();
      }
    }
  }

  private static Key pub(Key privateKey) {
    return Key.fromBytes(X25519.publicKey(privateKey.toBytes()));
  }

  /**
   * Sends 32 MiB into the sink before anything is measured, so the JIT has compiled the embedded
   * data path (crypto, checksum, TCP) and the first embedded measurement is not its warm-up: the
   * kernel path it is compared with needs none.
   */
  private static void warmUp(PartyNetwork net, WireGuardGoLab lab) throws Exception {
    byte[] chunk = new byte[64 * 1024];
    try (PartyStreamSocket s = net.connect(lab.wgTunnelAddress(), 5001, Duration.ofSeconds(10))) {
      s.setReadTimeout(Duration.ofSeconds(60));
      for (int i = 0; i < 512; i++) {
        s.outputStream().write(chunk, 0, chunk.length);
      }
      s.shutdownOutput();
      while (s.inputStream().read(chunk) >= 0) {
        // the sink closes after it has read everything
      }
    }
  }

  /**
   * Carries 32 MiB each way through a forward (and once over the kernel path) before anything is
   * measured: the stream-socket warm-up leaves a forward's pump and the whole receiving direction
   * uncompiled, and the JIT's threads then ran during the first forward measurements (a third of
   * the JVM's CPU in them), competing for the same two cores.
   */
  private static void warmUpForward(PartyNetwork net, WireGuardGoLab lab, SecondNamespace b) throws Exception {
    b.run("iperf3", "-c", lab.wgTunnelAddress(), "-p", "5201", "-n", "32M", "-J");
    try (TransportForward forward = net.forward(TransportProtocol.TCP, 0, lab.wgTunnelAddress(), 5201)) {
      String port = Integer.toString(forward.localAddress().getPort());
      WireGuardGoLab.run("iperf3", "-c", "127.0.0.1", "-p", port, "-n", "32M", "-J");
      WireGuardGoLab.run("iperf3", "-c", "127.0.0.1", "-p", port, "-n", "32M", "-R", "-J");
    }
  }

  /**
   * Waits (at most a minute) until the JIT has compiled nothing for two seconds: on two cores its
   * backlog after the warm-up otherwise runs during the first measurements (seen as 3-4 ms of
   * compilation per MiB in them), competing with both paths.
   */
  private static void awaitCompilerQuiet() throws InterruptedException {
    java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    long last = jit.getTotalCompilationTime();
    long quietSince = System.nanoTime();
    long start = System.nanoTime();
    while (System.nanoTime() - quietSince < Duration.ofSeconds(2).toNanos() && System.nanoTime() < deadline) {
      Thread.sleep(200);
      long now = jit.getTotalCompilationTime();
      if (now != last) {
        last = now;
        quietSince = System.nanoTime();
      }
    }
    System.out.printf("  (the JIT was quiet after %.1f s; JVM uptime %d ms)%n", (System.nanoTime() - start) / 1e9,
        ManagementFactory.getRuntimeMXBean().getUptime());
  }

  /** Kernel and embedded forward receiving (iperf3 -R), alternately, {@code rounds} times. */
  private static void forwardReceiveRounds(EmbeddedBackend backend, PartyNetwork net, WireGuardGoLab lab, SecondNamespace b, String n,
      int rounds) throws Exception {
    double[] ratios = new double[rounds];
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    try (TransportForward forward = net.forward(TransportProtocol.TCP, 0, lab.wgTunnelAddress(), 5201)) {
      String port = Integer.toString(forward.localAddress().getPort());
      for (int i = 0; i < rounds; i++) {
        String kernel = b.run("iperf3", "-c", lab.wgTunnelAddress(), "-p", "5201", "-n", n, "-R", "-J");
        java.util.Map<String, Long> cpuBefore = cpuByThread(threads);
        java.util.Map<String, Long> waitBefore = runQueueWaitByThread();
        long grownBefore = backend.stackCounters().tcpReceiveBufferGrown.get();
        long start = System.nanoTime();
        String embedded = WireGuardGoLab.run("iperf3", "-c", "127.0.0.1", "-p", port, "-n", n, "-R", "-J");
        double wall = System.nanoTime() - start;
        ratios[i] = iperf(embedded) / iperf(kernel);
        System.out.printf("  round %d: kernel receive %7.1f Mbit/s (%d retransmitted), embedded forward receive "
                + "%7.1f Mbit/s (%d retransmitted), ratio %.2f%n", i + 1, iperf(kernel), retransmits(kernel),
            iperf(embedded), retransmits(embedded), ratios[i]);
        StringBuilder busy = new StringBuilder(String.format("    receive window doubled %d times; CPU share of "
            + "the embedded round's wall time:", backend.stackCounters().tcpReceiveBufferGrown.get() - grownBefore));
        cpuByThread(threads).forEach((name, now) -> {
          long used = now - cpuBefore.getOrDefault(name, 0L);
          if (used > wall / 50) {
            busy.append(String.format(" %s %.0f%%", name, 100 * used / wall));
          }
        });
        busy.append("; waiting for a CPU while runnable:");
        runQueueWaitByThread().forEach((name, now) -> {
          long waited = now - waitBefore.getOrDefault(name, 0L);
          if (waited > wall / 50 && name.startsWith("partynet")) {
            busy.append(String.format(" %s %.0f%%", name, 100 * waited / wall));
          }
        });
        System.out.println(busy);
      }
    }
    double[] sorted = ratios.clone();
    Arrays.sort(sorted);
    System.out.printf("  forward receive ratio: median %.2f, min %.2f, max %.2f over %d rounds%n",
        sorted[rounds / 2], sorted[0], sorted[rounds - 1], rounds);
  }

  /** CPU time of this JVM's threads whose name starts with {@code prefix}, in nanoseconds. */
  private static long threadCpu(ThreadMXBean threads, String prefix) {
    long sum = 0;
    for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith(prefix)) {
        sum += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return sum;
  }

  private static java.util.Map<String, Long> cpuByThread(ThreadMXBean threads) {
    java.util.Map<String, Long> out = new java.util.HashMap<>();
    for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null) {
        out.put(info.getThreadName(), threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return out;
  }

  /**
   * Nanoseconds each thread of this JVM spent runnable but not running (the second field of Linux's
   * {@code /proc/self/task/TID/schedstat}), by its (15-character) kernel name: how much a busy
   * machine held our threads back. Empty where the file is missing.
   */
  private static java.util.Map<String, Long> runQueueWaitByThread() {
    java.util.Map<String, Long> out = new java.util.HashMap<>();
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          String name = Files.readString(task.resolve("comm")).trim();
          String[] fields = Files.readString(task.resolve("schedstat")).trim().split("\\s+");
          out.merge(name, Long.parseLong(fields[1]), Long::sum);
        } catch (IOException | RuntimeException threadEnded) {
          // the thread ended between listing and reading
        }
      }
    } catch (IOException noProcfs) {
      // not Linux
    }
    return out;
  }

  private static long retransmits(String iperfJson) {
    Matcher m = Pattern.compile("\"sum_sent\"\\s*:\\s*\\{[^}]*?\"retransmits\"\\s*:\\s*([0-9]+)",
        Pattern.DOTALL).matcher(iperfJson);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  /** A stream socket straight into the kernel's sink: throughput, allocation per segment, CPU per MiB. */
  private static void direct(EmbeddedBackend backend, PartyNetwork net, WireGuardGoLab lab, int mib,
      double kernelUp, Map<String, LongSupplier> parties) throws Exception {
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    byte[] chunk = new byte[64 * 1024];
    for (int round = 0; round < 2; round++) {
      StackCounters counters = backend.stackCounters();
      try (PartyStreamSocket s = net.connect(lab.wgTunnelAddress(), 5001, Duration.ofSeconds(10))) {
        s.setReadTimeout(Duration.ofSeconds(60));
        long total = (long) mib << 20;
        s.outputStream().write(chunk, 0, chunk.length);
        long start = System.nanoTime();
        // Throughput counts from here; allocation and CPU only after 16 MiB, once autotuning grew
        // the buffers (a one-off allocation per connection): the steady state.
        long rampUp = Math.min(16L << 20, total / 4);
        for (long sent = chunk.length; sent < rampUp; sent += chunk.length) {
          s.outputStream().write(chunk, 0, chunk.length);
        }
        long segmentsBefore = counters.tcpSegmentsSent.get() + counters.tcpSegmentsReceived.get();
        long growthsBefore = counters.tcpSendBufferGrown.get();
        long allocatedBefore = allocated(threads);
        java.util.Map<String, Long> allocatedByThread = allocationByThread(threads);
        long cpuBefore = os.getProcessCpuTime();
        PathCpu phase = PathCpu.start(parties);
        for (long sent = rampUp; sent < total; sent += chunk.length) {
          s.outputStream().write(chunk, 0, chunk.length);
        }
        s.shutdownOutput();
        while (s.inputStream().read(chunk) >= 0) {
          // the sink closes after it has read everything
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long allocatedBytes = allocated(threads) - allocatedBefore;
        if (round == 1) {
          printAllocationByThread(threads, allocatedByThread);
        }
        long segments = counters.tcpSegmentsSent.get() + counters.tcpSegmentsReceived.get() - segmentsBefore;
        double mbit = (total - chunk.length) * 8 / seconds / 1e6;
        if (round == 1) {
          System.out.printf("  embedded stream socket -> kernel sink:  send %8.1f Mbit/s  ratio %.2f; "
                  + "%d segments, %.2f bytes allocated per segment (all threads; the send buffer doubled %d times "
                  + "meanwhile, a new ring each), CPU %.1f ms per MiB%n", mbit,
              mbit / kernelUp, segments, (double) allocatedBytes / segments,
              counters.tcpSendBufferGrown.get() - growthsBefore,
              (os.getProcessCpuTime() - cpuBefore) / 1e6 / ((total - rampUp) / (double) (1 << 20)));
          System.out.println(phase.end((total - rampUp) / (double) (1 << 20)));
        }
      }
    }
  }

  private static java.util.Map<String, Long> allocationByThread(ThreadMXBean threads) {
    java.util.Map<String, Long> out = new java.util.HashMap<>();
    for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null) {
        out.put(info.getThreadName() + "#" + info.getThreadId(), threads.getThreadAllocatedBytes(info.getThreadId()));
      }
    }
    return out;
  }

  private static void printAllocationByThread(ThreadMXBean threads, java.util.Map<String, Long> before) {
    allocationByThread(threads).forEach((name, now) -> {
      long delta = now - before.getOrDefault(name, 0L);
      if (delta > 10_000) {
        System.out.printf("    allocated by %s: %d bytes%n", name, delta);
      }
    });
  }

  private static long allocated(ThreadMXBean threads) {
    long[] ids = threads.getAllThreadIds();
    long sum = 0;
    for (long a : threads.getThreadAllocatedBytes(ids)) {
      sum += Math.max(0, a);
    }
    return sum;
  }

  private static double iperf(String json) {
    Matcher m = Pattern.compile("\"sum_received\"\\s*:\\s*\\{[^}]*?\"bits_per_second\"\\s*:\\s*([0-9.e+]+)",
        Pattern.DOTALL).matcher(json);
    if (!m.find()) {
      throw new IllegalStateException("no sum_received in iperf3 output: " + json);
    }
    return Double.parseDouble(m.group(1)) / 1e6;
  }

  /** The kernel sender's retransmitted segments, as iperf3 reports them ({@code sum_sent.retransmits}). */
  private static String kernelRetransmits(String json) {
    Matcher m = Pattern.compile("\"sum_sent\"\\s*:\\s*\\{[^}]*?\"retransmits\"\\s*:\\s*([0-9]+)", Pattern.DOTALL)
        .matcher(json);
    return m.find() ? m.group(1) : "?";
  }

  private static double[] embeddedRoundTrips(PartyNetwork net, String ip) throws Exception {
    try (PartyStreamSocket s = net.connect(ip, 5002, Duration.ofSeconds(10))) {
      s.setReadTimeout(Duration.ofSeconds(10));
      byte[] message = new byte[64];
      byte[] reply = new byte[64];
      long[] rtt = new long[ROUND_TRIPS];
      for (int i = -200; i < ROUND_TRIPS; i++) {
        long start = System.nanoTime();
        s.outputStream().write(message);
        int got = 0;
        while (got < 64) {
          got += s.inputStream().read(reply, got, 64 - got);
        }
        if (i >= 0) {
          rtt[i] = System.nanoTime() - start;
        }
      }
      return percentiles(rtt);
    }
  }

  private static double[] loopbackUdpRoundTrips() throws Exception {
    try (DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      Thread echo = new Thread(() -> {
        DatagramPacket p = new DatagramPacket(new byte[64], 64);
        try {
          while (true) {
            server.receive(p);
            server.send(p);
          }
        } catch (IOException closed) {
          // done
        }
      });
      echo.setDaemon(true);
      echo.start();
      DatagramPacket out = new DatagramPacket(new byte[64], 64, server.getLocalSocketAddress());
      DatagramPacket in = new DatagramPacket(new byte[64], 64);
      long[] rtt = new long[ROUND_TRIPS];
      for (int i = -200; i < ROUND_TRIPS; i++) {
        long start = System.nanoTime();
        client.send(out);
        client.receive(in);
        if (i >= 0) {
          rtt[i] = System.nanoTime() - start;
        }
      }
      return percentiles(rtt);
    }
  }

  private static double[] percentiles(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return new double[] {sorted[sorted.length / 2] / 1e3, sorted[(int) (sorted.length * 0.99)] / 1e3,
        sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.999))] / 1e3};
  }

  private static double[] parsePercentiles(String line) {
    String[] parts = line.trim().split("\\s+");
    return new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1]), Double.parseDouble(parts[2])};
  }

  private static void printPercentiles(String what, double[] p) {
    System.out.printf("  %-32s p50 %7.0f  p99 %7.0f  p99.9 %7.0f%n", what, p[0], p[1], p[2]);
  }

  private static String inNamespaceOutput(String namespace, String... command) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    cmd.addAll(List.of(command));
    return WireGuardGoLab.run(cmd.toArray(new String[0]));
  }

  private static Process inNamespace(String namespace, String... command) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    cmd.addAll(List.of(command));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
  }

  private static final String ECHO_SERVER = String.join("\n",
      "import socket, threading",
      "srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
      "srv.bind(('HOST_IP', 5002)); srv.listen(16)",
      "def serve(c):",
      "    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)",
      "    while True:",
      "        d = c.recv(65536)",
      "        if not d: break",
      "        c.sendall(d)",
      "while True:",
      "    c, _ = srv.accept()",
      "    threading.Thread(target=serve, args=(c,), daemon=True).start()",
      "");

  private static final String PING_CLIENT = String.join("\n",
      "import socket, time",
      "s = socket.create_connection(('HOST_IP', 5002)); s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)",
      "msg = b'x' * 64; rtt = []",
      "for i in range(ROUNDS + 200):",
      "    t = time.perf_counter_ns(); s.sendall(msg); got = 0",
      "    while got < 64: got += len(s.recv(64 - got))",
      "    if i >= 200: rtt.append(time.perf_counter_ns() - t)",
      "rtt.sort(); n = len(rtt)",
      "print(rtt[n // 2] / 1e3, rtt[int(n * 0.99)] / 1e3, rtt[min(n - 1, int(n * 0.999))] / 1e3)",
      "");

  /** Namespace B: a veth to namespace A and a second wireguard-go with kernel TCP clients. */
  private static final class SecondNamespace implements AutoCloseable {
    final WireGuardGoLab lab;
    final String namespace;
    final String vethA;
    final String vethB;
    final String wgInterface;
    final int port = 43000 + new SecureRandom().nextInt(1000);
    private Process wireguardGo;
    private boolean created;

    /** CPU time this namespace's wireguard-go has used so far ({@code ip netns exec} execs it: same pid). */
    long wireGuardGoCpuNanos() {
      return ProcCpu.of(wireguardGo.pid()).toNanos();
    }

    SecondNamespace(WireGuardGoLab lab) {
      this.lab = lab;
      this.namespace = lab.namespace + "b";
      this.vethA = lab.interfaceName("x");
      this.vethB = lab.interfaceName("y");
      this.wgInterface = lab.interfaceName("v");
    }

    String vethAddress(int host) {
      return "198.19." + lab.subnet + "." + host;
    }

    String tunnelAddress() {
      return "10.200." + lab.subnet + ".3";
    }

    void start(Key key, Key peerA, int peerPort) throws Exception {
      WireGuardGoLab.run("ip", "netns", "add", namespace);
      created = true;
      WireGuardGoLab.run("ip", "link", "add", vethA, "netns", lab.namespace, "type", "veth", "peer", "name", vethB,
          "netns", namespace);
      WireGuardGoLab.run("ip", "-n", lab.namespace, "addr", "add", vethAddress(1) + "/30", "dev", vethA);
      WireGuardGoLab.run("ip", "-n", lab.namespace, "link", "set", vethA, "up");
      WireGuardGoLab.run("ip", "-n", namespace, "addr", "add", vethAddress(2) + "/30", "dev", vethB);
      WireGuardGoLab.run("ip", "-n", namespace, "link", "set", vethB, "up");
      WireGuardGoLab.run("ip", "-n", namespace, "link", "set", "lo", "up");
      wireguardGo = new ProcessBuilder("ip", "netns", "exec", namespace, "wireguard-go", "-f", wgInterface)
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      Path socket = Path.of("/var/run/wireguard", wgInterface + ".sock");
      for (int i = 0; i < 500 && !Files.exists(socket); i++) {
        Thread.sleep(20);
      }
      Path keyFile = lab.dir().resolve("b.key");
      Files.writeString(keyFile, key.toBase64() + "\n");
      Files.setPosixFilePermissions(keyFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      run("wg", "set", wgInterface, "private-key", keyFile.toString(), "listen-port", Integer.toString(port), "peer",
          peerA.toBase64(), "endpoint", vethAddress(1) + ":" + peerPort, "allowed-ips", lab.wgTunnelAddress() + "/32");
      WireGuardGoLab.run("ip", "-n", namespace, "addr", "add", tunnelAddress() + "/24", "dev", wgInterface);
      WireGuardGoLab.run("ip", "-n", namespace, "link", "set", wgInterface, "up");
    }

    String run(String... command) throws IOException {
      List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
      cmd.addAll(List.of(command));
      return WireGuardGoLab.run(cmd.toArray(new String[0]));
    }

    @Override
    public void close() {
      if (wireguardGo != null) {
        wireguardGo.destroyForcibly();
      }
      if (created) {
        try {
          WireGuardGoLab.run("ip", "netns", "del", namespace);
        } catch (IOException e) {
          System.err.println("could not delete " + namespace + ": " + e.getMessage());
        }
      }
    }
  }
}
