package io.partynet.core.bench;

import io.partynet.IpPrefix;
import io.partynet.Key;
import io.partynet.NatType;
import io.partynet.PartyInfo;
import io.partynet.Peer;
import io.partynet.core.internal.registry.PartyRegistry;
import io.partynet.core.internal.registry.RegistrySettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * Registry operations per second (single thread, after a warm-up): create, join, heartbeat,
 * update, leave, and one cleanup pass over a full registry. Not a test; run with
 * {@code ./bench.sh party-core io.partynet.core.bench.RegistryBenchmark}.
 */
public final class RegistryBenchmark {
  private static final int PARTIES = 2_000;
  private static final int MEMBERS = 8;

  private RegistryBenchmark() {}

  public static void main(String[] args) {
    Peer[] peers = new Peer[PARTIES * MEMBERS];
    Random random = new Random(1);
    for (int i = 0; i < peers.length; i++) {
      byte[] key = new byte[32];
      random.nextBytes(key);
      peers[i] = Peer.newMember("p" + i, "member" + i, Key.fromBytes(key), NatType.FULL_CONE, Instant.EPOCH);
    }
    for (int round = 0; round < 3; round++) {
      boolean report = round == 2;
      if (report) {
        System.out.printf("registry: %d parties x %d members, one thread%n", PARTIES, MEMBERS);
      }
      run(peers, report);
    }
  }

  private static void run(Peer[] peers, boolean report) {
    PartyRegistry registry = new PartyRegistry(
        new RegistrySettings(IpPrefix.parse("10.77.0.0/16"), 16, Duration.ofSeconds(90)), Clock.systemUTC(),
        new Random(2));
    List<String> ids = new ArrayList<>();
    measure("create", PARTIES, i -> ids.add(registry.createParty("party", peers[i * MEMBERS]).partyId()), report);
    measure("join", PARTIES * (MEMBERS - 1),
        i -> registry.joinParty(ids.get(i / (MEMBERS - 1)), peers[(i / (MEMBERS - 1)) * MEMBERS + 1 + i % (MEMBERS - 1)]),
        report);
    measure("heartbeat", PARTIES * MEMBERS, i -> registry.heartbeat(ids.get(i / MEMBERS), peers[i].id()), report);
    measure("get", PARTIES * MEMBERS, i -> registry.getParty(ids.get(i / MEMBERS)), report);
    measure("cleanup (full registry)", 20, i -> registry.cleanup(), report);
    measure("snapshot (full registry)", 20, i -> registry.snapshot(), report);
    measure("leave", PARTIES * (MEMBERS - 1),
        i -> registry.leaveParty(ids.get(i / (MEMBERS - 1)), peers[(i / (MEMBERS - 1)) * MEMBERS + 1 + i % (MEMBERS - 1)].id()),
        report);
  }

  private static void measure(String what, int count, IntConsumer op, boolean report) {
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      op.accept(i);
    }
    long nanos = System.nanoTime() - start;
    if (report) {
      System.out.printf("  %-26s %,12.0f ops/s  (%,d ops in %.1f ms)%n", what, count * 1e9 / nanos, count, nanos / 1e6);
    }
  }
}
