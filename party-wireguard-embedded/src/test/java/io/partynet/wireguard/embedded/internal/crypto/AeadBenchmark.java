package io.partynet.wireguard.embedded.internal.crypto;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.spec.SecretKeySpec;

/**
 * MiB/s per thread of the transport AEAD on WireGuard-sized packets (1420 bytes of plaintext), in
 * thread CPU time so that other load on the machine distorts it little: {@link TransportAead} seal
 * and open, its ChaCha20 alone, its Poly1305 alone, and the JDK's {@code ChaCha20-Poly1305}
 * {@link javax.crypto.Cipher} for comparison.
 *
 * <p>Run: {@code ./bench.sh party-wireguard-embedded io.partynet.wireguard.embedded.internal.crypto.AeadBenchmark [MiB]}
 */
public final class AeadBenchmark {
  private static final int PACKET = 1420;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private AeadBenchmark() {}

  public static void main(String[] args) throws AEADBadTagException {
    int mib = args.length > 0 ? Integer.parseInt(args[0]) : 256;
    int packets = (int) ((long) mib * 1024 * 1024 / PACKET);
    SecureRandom random = new SecureRandom();
    byte[] rawKey = new byte[32];
    random.nextBytes(rawKey);
    SecretKeySpec key = ChaChaPoly.key(rawKey);
    byte[] plain = new byte[PACKET];
    random.nextBytes(plain);
    byte[] sealed = new byte[PACKET + TransportAead.TAG_LENGTH];
    byte[] opened = new byte[PACKET];
    TransportAead aead = new TransportAead();
    ChaCha20 chacha = new ChaCha20();
    chacha.key(rawKey, 0);
    Poly1305 poly = new Poly1305();
    int[] polyKey = new int[8];
    ChaChaPoly jdk = new ChaChaPoly();
    for (int round = 0; round < 2; round++) {
      String label = round == 0 ? "warm-up" : "measured";
      System.out.printf("%s, %d MiB of %d-byte packets, one thread (thread CPU time):%n", label, mib, PACKET);
      long start = cpu();
      for (int i = 0; i < packets; i++) {
        aead.sealPadded(key, i, plain, 0, PACKET, 0, sealed, 0);
      }
      print("TransportAead seal", mib, start);
      aead.sealPadded(key, 7, plain, 0, PACKET, 0, sealed, 0);
      start = cpu();
      for (int i = 0; i < packets; i++) {
        aead.open(key, 7, sealed, 0, sealed.length, opened, 0);
      }
      print("TransportAead open", mib, start);
      start = cpu();
      for (int i = 0; i < packets; i++) {
        chacha.nonce(i);
        chacha.xor(1, plain, 0, PACKET, 0, sealed, 0);
      }
      print("ChaCha20 alone", mib, start);
      start = cpu();
      for (int i = 0; i < packets; i++) {
        polyKey[0] = i;
        poly.init(polyKey);
        poly.updatePadded(plain, 0, PACKET);
        poly.finish(sealed, 0);
      }
      print("Poly1305 alone", mib, start);
      start = cpu();
      int jdkPackets = packets / 4;
      for (int i = 0; i < jdkPackets; i++) {
        jdk.seal(key, i, null, plain, 0, PACKET, sealed, 0);
      }
      print("JDK Cipher seal", mib / 4.0, start);
    }
  }

  private static long cpu() {
    return THREADS.getCurrentThreadCpuTime();
  }

  private static void print(String what, double mib, long startNanos) {
    double seconds = (cpu() - startNanos) / 1e9;
    System.out.printf("  %-20s %8.1f MiB/s  %6.2f ms per MiB%n", what, mib / seconds, seconds * 1000 / mib);
  }
}
