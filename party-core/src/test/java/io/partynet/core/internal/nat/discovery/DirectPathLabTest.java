package io.partynet.core.internal.nat.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.partynet.Endpoint;
import io.partynet.testing.lab.LabProcess;
import io.partynet.testing.lab.LabSite;
import io.partynet.testing.lab.NatKind;
import io.partynet.testing.lab.Lab;
import io.partynet.testing.lab.LabTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The evidence behind design.md section 5's decision that a direct path is WireGuard's own socket
 * end to end: for every pair of home networks, each side learns the public mapping of its
 * WireGuard port with one STUN query from that port before wireguard-go binds it; both are then
 * given each other's mapping at once with keepalive 1, and WireGuard's own handshakes punch the
 * hole. Every pair that the NATs allow connects; port-restricted and symmetric with symmetric do
 * not (their symmetric side's port toward the peer differs from its STUN mapping): those need the
 * relay, which {@code TurnRelayLabTest} proves.
 */
@LabTest(needs = {LabTest.Need.NAT, LabTest.Need.WIREGUARD_GO})
class DirectPathLabTest {
  private static final Duration CONNECT_WITHIN = Duration.ofSeconds(10);
  private static final List<NatKind> KINDS = List.of(NatKind.values());
  /** Unordered pairs that must connect directly; all others must not. */
  private static final Set<String> DIRECT = Set.of(
      "OPEN-OPEN", "OPEN-FULL_CONE", "OPEN-PORT_RESTRICTED_CONE", "OPEN-SYMMETRIC",
      "FULL_CONE-FULL_CONE", "FULL_CONE-PORT_RESTRICTED_CONE", "FULL_CONE-SYMMETRIC",
      "PORT_RESTRICTED_CONE-PORT_RESTRICTED_CONE");

  private static Lab lab;

  @BeforeAll
  static void buildLab() {
    lab = Lab.withInternet();
  }

  @AfterAll
  static void tearDown() {
    if (lab != null) {
      lab.close();
    }
  }

  private record Side(LabSite site, int port, String ifName, String address, Path key, String publicKey) {}

  private record Pair(String name, Side left, Side right) {}

  @Test
  void wireGuardPunchesEveryPairTheNatsAllowAndNoOther() throws Exception {
    Map<NatKind, LabSite> first = new EnumMap<>(NatKind.class);
    Map<NatKind, LabSite> second = new EnumMap<>(NatKind.class);
    for (NatKind kind : KINDS) {
      first.put(kind, lab.addSite(kind));
      second.put(kind, lab.addSite(kind));
    }
    List<Pair> pairs = new ArrayList<>();
    Map<LabSite, List<Side>> sidesBySite = new LinkedHashMap<>();
    for (int i = 0; i < KINDS.size(); i++) {
      for (int j = i; j < KINDS.size(); j++) {
        int k = pairs.size();
        Side left = side(first.get(KINDS.get(i)), k, "a", 1);
        Side right = side(second.get(KINDS.get(j)), k, "b", 2);
        pairs.add(new Pair(KINDS.get(i) + "-" + KINDS.get(j), left, right));
        sidesBySite.computeIfAbsent(left.site(), s -> new ArrayList<>()).add(left);
        sidesBySite.computeIfAbsent(right.site(), s -> new ArrayList<>()).add(right);
      }
    }

    // 1. One STUN query from each WireGuard port, before wireguard-go binds it.
    Map<LabSite, LabProcess> queries = new LinkedHashMap<>();
    sidesBySite.forEach((site, sides) -> {
      List<String> args = new ArrayList<>(List.of(lab.stunServer().toString()));
      sides.forEach(s -> args.add(Integer.toString(s.port())));
      queries.put(site, lab.startJava(site.hostNamespace(), MappedMain.class, args.toArray(String[]::new)));
    });
    Map<Side, Endpoint> mapped = new HashMap<>();
    sidesBySite.forEach((site, sides) -> {
      LabProcess query = queries.get(site);
      query.awaitLine("DONE"::equals, Duration.ofSeconds(30));
      for (Side s : sides) {
        String value = query.awaitValue("MAPPED " + s.port() + " ", Duration.ofSeconds(1));
        mapped.put(s, Endpoint.parse(value));
      }
    });

    // 2. wireguard-go on every port; both sides of a pair told each other's mapping at once.
    for (Pair p : pairs) {
      for (Side s : List.of(p.left(), p.right())) {
        lab.startWireGuardGo(s.site().hostNamespace(), s.ifName());
        lab.run(s.site().hostNamespace(), "ip", "addr", "add", s.address() + "/24", "dev", s.ifName()).orThrow();
        lab.run(s.site().hostNamespace(), "ip", "link", "set", s.ifName(), "up").orThrow();
      }
    }
    for (Pair p : pairs) {
      configure(p.left(), p.right(), mapped.get(p.right()));
      configure(p.right(), p.left(), mapped.get(p.left()));
    }

    // 3. Ping over each tunnel until it works or the deadline passes, all pairs at once.
    ExecutorService pool = Executors.newFixedThreadPool(pairs.size());
    try {
      Map<Pair, CompletableFuture<Long>> firstPing = new LinkedHashMap<>();
      long start = System.nanoTime();
      for (Pair p : pairs) {
        firstPing.put(p, CompletableFuture.supplyAsync(() -> timeToPing(p, start), pool));
      }
      StringBuilder table = new StringBuilder("\npair                                        left mapping -> right mapping            direct?\n");
      Map<String, Boolean> connected = new LinkedHashMap<>();
      for (Pair p : pairs) {
        long ms = firstPing.get(p).get();
        connected.put(p.name(), ms >= 0);
        table.append(String.format("%-43s %-21s %-21s %s%n", p.name(), mapped.get(p.left()), mapped.get(p.right()),
            ms >= 0 ? "yes, first ping after " + ms + " ms" : "no"));
      }
      System.out.println(table);
      for (Pair p : pairs) {
        assertEquals(DIRECT.contains(p.name()), connected.get(p.name()), p.name() + "\n" + table);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static Side side(LabSite site, int pairIndex, String role, int hostByte) {
    String ifName = lab.interfaceName("p" + pairIndex + role);
    Path key = lab.wireGuardKey(ifName);
    return new Side(site, 51820 + pairIndex, ifName, "10.77." + pairIndex + "." + hostByte, key,
        lab.wireGuardPublicKey(key));
  }

  private static void configure(Side self, Side peer, Endpoint peerEndpoint) {
    lab.run(self.site().hostNamespace(), "wg", "set", self.ifName(), "private-key", self.key().toString(),
        "listen-port", Integer.toString(self.port()), "peer", peer.publicKey(), "endpoint", peerEndpoint.toString(),
        "allowed-ips", peer.address() + "/32", "persistent-keepalive", "1").orThrow();
  }

  /** Milliseconds from {@code start} to the first answered ping, or -1 when none came in time. */
  private static long timeToPing(Pair p, long start) {
    long deadline = start + CONNECT_WITHIN.toNanos();
    while (System.nanoTime() < deadline) {
      if (lab.run(p.left().site().hostNamespace(), "ping", "-c", "1", "-W", "1", p.right().address()).ok()) {
        return (System.nanoTime() - start) / 1_000_000;
      }
    }
    return -1;
  }
}
