package io.partynet.core.internal.registry;

import static io.partynet.testing.TestPeers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.IpPrefix;
import io.partynet.PartyException;
import io.partynet.PartyInfo;
import io.partynet.Peer;
import io.partynet.core.internal.json.Json;
import io.partynet.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random sequences of registry operations keep the seed's invariants: no empty party, the host is
 * always a member, virtual IPs unique inside the subnet, size within the limit, host leave
 * disbands, nobody stale after cleanup, and the persisted form equals the in-memory state.
 */
class PartyRegistryPropertiesTest {
  private static final IpPrefix SUBNET = IpPrefix.parse("10.77.0.0/16");
  private static final Duration STALE = Duration.ofSeconds(90);
  private static final int MAX_SIZE = 5;

  enum Kind { CREATE, JOIN, LEAVE, KICK, HEARTBEAT, ADVANCE, CLEANUP }

  record Op(Kind kind, int party, int actor, int target, int seconds) {}

  @Provide
  Arbitrary<List<Op>> operations() {
    Arbitrary<Op> op = Combinators.combine(
        Arbitraries.of(Kind.class), Arbitraries.integers().between(0, 5), Arbitraries.integers().between(0, 9),
        Arbitraries.integers().between(0, 9), Arbitraries.integers().between(1, 120))
        .as(Op::new);
    return op.list().ofMinSize(1).ofMaxSize(60);
  }

  @Property(tries = 300)
  void invariantsHoldAfterEveryOperation(@ForAll("operations") List<Op> ops) throws Exception {
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    PartyRegistry registry = new PartyRegistry(new RegistrySettings(SUBNET, MAX_SIZE, STALE), clock, new Random(1));
    List<String> partyIds = new ArrayList<>();
    for (Op op : ops) {
      String partyId = partyIds.isEmpty() ? null : partyIds.get(op.party() % partyIds.size());
      String actor = "p" + op.actor();
      try {
        switch (op.kind()) {
          case CREATE -> partyIds.add(registry.createParty("party", peer(actor)).partyId());
          case JOIN -> {
            if (partyId != null) {
              registry.joinParty(partyId, peer(actor));
            }
          }
          case LEAVE -> {
            if (partyId != null) {
              boolean wasHost = registry.getParty(partyId).map(p -> p.hostId().equals(actor)).orElse(false);
              boolean disbanded = registry.leaveParty(partyId, actor);
              if (wasHost) {
                assertTrue(disbanded, "host leaving must disband");
                assertTrue(registry.getParty(partyId).isEmpty());
              }
            }
          }
          case KICK -> {
            if (partyId != null) {
              registry.kick(partyId, actor, "p" + op.target());
            }
          }
          case HEARTBEAT -> {
            if (partyId != null) {
              registry.heartbeat(partyId, actor);
            }
          }
          case ADVANCE -> clock.advance(Duration.ofSeconds(op.seconds()));
          case CLEANUP -> {
            registry.cleanup();
            assertNobodyStale(registry, partyIds, clock.instant());
          }
        }
      } catch (PartyException expected) {
        // Refusals (not host, not found, full, ...) are part of the contract; the state must stay valid.
      }
      assertInvariants(registry, partyIds);
    }
    RegistrySnapshot snapshot = registry.snapshot();
    RegistrySnapshot persisted = Json.mapper().readValue(Json.mapper().writeValueAsBytes(snapshot),
        RegistrySnapshot.class);
    assertEquals(snapshot, persisted, "persisted state must equal in-memory state");
  }

  private static void assertInvariants(PartyRegistry registry, List<String> partyIds) {
    int peers = 0;
    int parties = 0;
    for (String id : new HashSet<>(partyIds)) {
      PartyInfo info = registry.getParty(id).orElse(null);
      if (info == null) {
        continue;
      }
      parties++;
      peers += info.peers().size();
      assertFalse(info.peers().isEmpty(), "no empty party");
      assertTrue(info.peers().size() <= MAX_SIZE, "size limit");
      assertTrue(info.peer(info.hostId()) != null, "host is a member");
      Set<String> ips = new HashSet<>();
      Set<String> ids = new HashSet<>();
      for (Peer p : info.peers()) {
        assertTrue(SUBNET.contains(p.virtualIp()), "IP inside subnet: " + p.virtualIp());
        assertFalse(p.virtualIp().equals("10.77.0.0") || p.virtualIp().equals("10.77.255.255"));
        assertTrue(ips.add(p.virtualIp()), "unique IP " + p.virtualIp());
        assertTrue(ids.add(p.id()), "unique id " + p.id());
        assertTrue(registry.lastSeen(id, p.id()).isPresent(), "every member has a last-seen time");
      }
    }
    assertEquals(parties, registry.partyCount());
    assertEquals(peers, registry.peerCount());
  }

  private static void assertNobodyStale(PartyRegistry registry, List<String> partyIds, Instant now) {
    for (String id : partyIds) {
      registry.getParty(id).ifPresent(info -> {
        for (Peer p : info.peers()) {
          Instant seen = registry.lastSeen(id, p.id()).orElseThrow();
          assertFalse(seen.isBefore(now.minus(STALE)), "stale member survived cleanup: " + p.id());
        }
      });
    }
  }
}
