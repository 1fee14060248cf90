package io.partynet.wireguard.jna.bench;

import io.partynet.Endpoint;
import io.partynet.IpPrefix;
import io.partynet.Key;
import io.partynet.spi.InterfaceConfig;
import io.partynet.wireguard.jna.internal.device.DeviceConfig;
import io.partynet.wireguard.jna.internal.device.PeerSettings;
import io.partynet.testing.lab.Lab;
import io.partynet.wireguard.jna.internal.lab.X25519Keys;
import io.partynet.wireguard.jna.internal.netlink.NetworkNamespace;
import io.partynet.wireguard.jna.internal.uapi.UapiBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Configures 1, 100 and 1,000 peers on one wireguard-go interface through {@link UapiBackend} and
 * through {@code wg setconf} (the reference client, including its process start, which is what
 * shelling out costs), alternating, in one run; prints the median of each and their ratio. Runs
 * inside a namespace of its own so that nothing it configures can reach a real network. Needs
 * root, wireguard-go, wg and ip.
 *
 * <pre>
 * ./mvnw -q -o -pl party-wireguard-jna -am test-compile
 * java -cp "party-wireguard-jna/target/test-classes:party-wireguard-jna/target/classes:$(cat cp.txt)" \
 *     io.partynet.wireguard.jna.bench.UapiBenchmark [rounds]
 * </pre>
 */
public final class UapiBenchmark {
  private static final int[] SIZES = {1, 100, 1000};
  private static final SecureRandom RANDOM = new SecureRandom();

  private UapiBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    Lab lab = Lab.open();
    String ns = lab.addNamespace("k");
    String ifname = lab.interfaceName("k");
    Path conf = Files.createTempFile("pnw-bench", ".conf", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    X25519Keys keys = X25519Keys.generate();
    try (UapiBackend backend = new UapiBackend(UapiBackend.Options.defaults().inNamespace(NetworkNamespace.named(ns)))) {
      backend.up(new InterfaceConfig(ifname, keys.privateKey(), 51820, IpPrefix.parse("10.200.0.1/16"), 1420));
      System.out.printf("%-7s %14s %14s %8s%n", "peers", "backend (ms)", "wg setconf (ms)", "wg/backend");
      for (int size : SIZES) {
        List<PeerSettings> peers = peers(size);
        DeviceConfig config = DeviceConfig.builder().privateKey(keys.privateKey()).listenPort(51820).replacePeers(true)
            .peers(peers).build();
        Files.writeString(conf, wgConf(keys.privateKey(), peers));
        double[] ours = new double[rounds];
        double[] theirs = new double[rounds];
        for (int r = -1; r < rounds; r++) {
          long t0 = System.nanoTime();
          backend.configure(config);
          long t1 = System.nanoTime();
          check(backend.state().peers().size(), size, "backend");
          long t2 = System.nanoTime();
          lab.run(null, Duration.ofSeconds(60), "wg", "setconf", ifname, conf.toString()).orThrow();
          long t3 = System.nanoTime();
          check(backend.state().peers().size(), size, "wg setconf");
          if (r >= 0) {
            ours[r] = (t1 - t0) / 1e6;
            theirs[r] = (t3 - t2) / 1e6;
          }
        }
        double a = median(ours);
        double b = median(theirs);
        System.out.printf("%-7d %14.2f %14.2f %8.2fx%n", size, a, b, b / a);
      }
    } finally {
      Files.deleteIfExists(conf);
      lab.close();
    }
  }

  private static List<PeerSettings> peers(int count) {
    List<PeerSettings> peers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] key = new byte[32];
      RANDOM.nextBytes(key);
      peers.add(PeerSettings.builder(Key.fromBytes(key)).replaceAllowedIps(true)
          .allowedIp(new IpPrefix("10.200." + (i / 250) + "." + (i % 250 + 2), 32))
          .endpoint(new Endpoint("198.51.100." + (i % 250 + 1), 51820)).build());
    }
    return peers;
  }

  private static String wgConf(Key privateKey, List<PeerSettings> peers) {
    StringBuilder s = new StringBuilder("[Interface]\nPrivateKey = " + privateKey.toBase64() + "\nListenPort = 51820\n");
    for (PeerSettings p : peers) {
      s.append("\n[Peer]\nPublicKey = ").append(p.publicKey().toBase64())
          .append("\nAllowedIPs = ").append(p.allowedIps().get(0))
          .append("\nEndpoint = ").append(p.endpoint().orElseThrow()).append('\n');
    }
    return s.toString();
  }

  private static void check(int actual, int expected, String what) throws IOException {
    if (actual != expected) {
      throw new IOException(what + " left " + actual + " peers, expected " + expected);
    }
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
