package io.partynet.wireguard.embedded.internal.crypto;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.spec.SecretKeySpec;

/**
 * MiB/s per thread of the transport AEAD on WireGuard-sized packets (1420 bytes of plaintext), in
 * thread CPU time so that other load on the machine distorts it little: {@link TransportAead} seal
 * and open, its ChaCha20 alone, its Poly1305 alone, and the JDK's {@code ChaCha20-Poly1305}
 * {@link javax.crypto.Cipher} for comparison. After a warm-up round it measures {@code ROUNDS}
 * rounds, the primitives interleaved within each round, and prints each one's median and best
 * round: on a busy machine the best round is the one least disturbed by other processes sharing
 * the core's caches.
 *
 * <p>Run: {@code ./bench.sh party-wireguard-embedded io.partynet.wireguard.embedded.internal.crypto.AeadBenchmark [MiB per round] [ROUNDS]}
 */
public final class AeadBenchmark {
  private static final int PACKET = 1420;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final String[] NAMES = {"TransportAead seal", "TransportAead open", "ChaCha20 alone", "Poly1305 alone",
      "JDK Cipher seal"};

  private final int packets;
  private final SecretKeySpec key;
  private final byte[] plain = new byte[PACKET];
  private final byte[] sealed = new byte[PACKET + TransportAead.TAG_LENGTH];
  private final byte[] opened = new byte[PACKET];
  private final TransportAead aead = new TransportAead();
  private final ChaCha20 chacha = new ChaCha20();
  private final Poly1305 poly = new Poly1305();
  private final int[] polyKey = new int[8];
  private final ChaChaPoly jdk = new ChaChaPoly();

  private AeadBenchmark(int packets) {
    this.packets = packets;
    SecureRandom random = new SecureRandom();
    byte[] rawKey = new byte[32];
    random.nextBytes(rawKey);
    key = ChaChaPoly.key(rawKey);
    chacha.key(rawKey, 0);
    random.nextBytes(plain);
  }

  public static void main(String[] args) throws AEADBadTagException {
    int mib = args.length > 0 ? Integer.parseInt(args[0]) : 64;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    AeadBenchmark benchmark = new AeadBenchmark((int) ((long) mib * 1024 * 1024 / PACKET));
    double[][] rates = new double[NAMES.length][rounds];
    benchmark.round(new double[NAMES.length][1], 0);
    for (int round = 0; round < rounds; round++) {
      benchmark.round(rates, round);
    }
    System.out.printf("%d rounds of %d MiB of %d-byte packets, one thread (thread CPU time):%n", rounds, mib, PACKET);
    for (int i = 0; i < NAMES.length; i++) {
      double[] sorted = rates[i].clone();
      Arrays.sort(sorted);
      double median = sorted[rounds / 2];
      double best = sorted[rounds - 1];
      System.out.printf("  %-20s median %7.1f MiB/s (%5.2f ms per MiB), best %7.1f MiB/s (%5.2f ms per MiB)%n", NAMES[i],
          median, 1000 / median, best, 1000 / best);
    }
  }

  /** One round of every primitive; rates in MiB/s of thread CPU time into {@code rates[primitive][round]}. */
  private void round(double[][] rates, int round) throws AEADBadTagException {
    double mib = (double) packets * PACKET / (1024 * 1024);
    long start = cpu();
    for (int i = 0; i < packets; i++) {
      aead.sealPadded(key, i, plain, 0, PACKET, 0, sealed, 0);
    }
    rates[0][round] = rate(mib, start);
    aead.sealPadded(key, 7, plain, 0, PACKET, 0, sealed, 0);
    start = cpu();
    for (int i = 0; i < packets; i++) {
      aead.open(key, 7, sealed, 0, sealed.length, opened, 0);
    }
    rates[1][round] = rate(mib, start);
    start = cpu();
    for (int i = 0; i < packets; i++) {
      chacha.nonce(i);
      chacha.xor(1, plain, 0, PACKET, 0, sealed, 0);
    }
    rates[2][round] = rate(mib, start);
    start = cpu();
    for (int i = 0; i < packets; i++) {
      polyKey[0] = i;
      poly.init(polyKey);
      poly.updatePadded(plain, 0, PACKET);
      poly.finish(sealed, 0);
    }
    rates[3][round] = rate(mib, start);
    start = cpu();
    int jdkPackets = packets / 4;
    for (int i = 0; i < jdkPackets; i++) {
      jdk.seal(key, i, null, plain, 0, PACKET, sealed, 0);
    }
    rates[4][round] = rate(mib / 4, start);
  }

  private static long cpu() {
    return THREADS.getCurrentThreadCpuTime();
  }

  private static double rate(double mib, long startNanos) {
    return mib / ((cpu() - startNanos) / 1e9);
  }
}
