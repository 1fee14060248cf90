package io.partynet.core.internal.registry;

import static io.partynet.testing.TestPeers.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.DisbandReason;
import io.partynet.IpPrefix;
import io.partynet.LeaveReason;
import io.partynet.NotHostException;
import io.partynet.PartyException;
import io.partynet.PartyFullException;
import io.partynet.PartyInfo;
import io.partynet.PartyNotFoundException;
import io.partynet.Peer;
import io.partynet.core.internal.json.Json;
import io.partynet.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PartyRegistryTest {
  private final ManualClock clock = ManualClock.startingAt("2026-01-01T00:00:00Z");
  private final List<String> events = new ArrayList<>();
  private final PartyRegistry registry = newRegistry(4);

  private PartyRegistry newRegistry(int maxSize) {
    PartyRegistry r = new PartyRegistry(
        new RegistrySettings(IpPrefix.parse("10.77.0.0/16"), maxSize, Duration.ofSeconds(90)), clock, new Random(42));
    r.addListener(new RegistryListener() {
      @Override public void onPeerJoined(String partyId, Peer p) { events.add("joined " + p.id()); }
      @Override public void onPeerLeft(String partyId, Peer p, LeaveReason reason) { events.add("left " + p.id() + " " + reason); }
      @Override public void onPeerUpdated(String partyId, Peer p) { events.add("updated " + p.id()); }
      @Override public void onPartyDisbanded(String partyId, DisbandReason reason) { events.add("disbanded " + reason); }
    });
    return r;
  }

  @Test
  void createAssignsFirstAddressAndJoinsTheNextFree() {
    PartyInfo created = registry.createParty("lan", peer("host"));
    assertEquals("10.77.0.1", created.peer("host").virtualIp());
    PartyInfo joined = registry.joinParty(created.partyId(), peer("b"));
    assertEquals("10.77.0.2", joined.peer("b").virtualIp());
    registry.leaveParty(created.partyId(), "b");
    registry.joinParty(created.partyId(), peer("c"));
    PartyInfo again = registry.joinParty(created.partyId(), peer("d"));
    assertEquals("10.77.0.2", again.peer("c").virtualIp(), "a freed address is reused lowest-first");
    assertEquals("10.77.0.3", again.peer("d").virtualIp());
    assertEquals(List.of("joined host", "joined b", "left b left", "joined c", "joined d"), events);
  }

  @Test
  void rejoiningWithTheSameKeyIsIdempotentAndAnotherKeyIsRefused() {
    PartyInfo created = registry.createParty("lan", peer("host"));
    registry.joinParty(created.partyId(), peer("b"));
    PartyInfo again = registry.joinParty(created.partyId(), peer("b"));
    assertEquals(2, again.peers().size());
    Peer impostor = new Peer("b", "evil", peer("other").publicKey(), null, null, null, null, null,
        peer("b").joinedAt());
    PartyException e = assertThrows(PartyException.class, () -> registry.joinParty(created.partyId(), impostor));
    assertEquals(PartyException.Reason.FORBIDDEN, e.reason());
  }

  @Test
  void aMemberRejoiningFromANewNetworkIsDialledAtItsNewEndpoint() {
    PartyInfo created = registry.createParty("lan", peer("host"));
    Peer first = peer("b").withEndpoint(io.partynet.Endpoint.parse("198.51.100.7:51820"));
    java.time.Instant joinedAt = registry.joinParty(created.partyId(), first).peer("b").joinedAt();
    clock.advance(Duration.ofSeconds(30));
    Peer moved = first.withEndpoint(io.partynet.Endpoint.parse("203.0.113.9:40000"))
        .withNatType(io.partynet.NatType.SYMMETRIC);

    PartyInfo again = registry.joinParty(created.partyId(), moved);

    Peer b = again.peer("b");
    assertEquals(moved.endpoint(), b.endpoint(), "the registry hands out the endpoint of the new network");
    assertEquals(io.partynet.NatType.SYMMETRIC, b.natType());
    assertEquals("10.77.0.2", b.virtualIp(), "the member keeps its address");
    assertEquals(joinedAt, b.joinedAt(), "and its join time");
    assertEquals(List.of("joined host", "joined b", "updated b"), events, "the others are told");
    assertEquals(clock.instant(), registry.lastSeen(created.partyId(), "b").orElseThrow(), "a rejoin is a heartbeat");

    registry.joinParty(created.partyId(), moved);
    assertEquals(List.of("joined host", "joined b", "updated b"), events, "an unchanged rejoin tells nobody");
  }

  @Test
  void fullPartyAndUnknownPartyAreTypedErrors() {
    PartyInfo created = registry.createParty("lan", peer("host"));
    registry.joinParty(created.partyId(), peer("b"));
    registry.joinParty(created.partyId(), peer("c"));
    registry.joinParty(created.partyId(), peer("d"));
    assertThrows(PartyFullException.class, () -> registry.joinParty(created.partyId(), peer("e")));
    String unknown = io.partynet.InviteCode.generate(new Random(99));
    assertThrows(PartyNotFoundException.class, () -> registry.joinParty(unknown, peer("e")));
  }

  @Test
  void aSubnetWithoutAFreeAddressIsATypedPartyFullError() {
    PartyRegistry tiny = new PartyRegistry(
        new RegistrySettings(IpPrefix.parse("10.77.0.0/30"), 8, Duration.ofSeconds(90)), clock, new Random(42));
    PartyInfo created = tiny.createParty("lan", peer("host"));
    tiny.joinParty(created.partyId(), peer("b"));
    PartyFullException e = assertThrows(PartyFullException.class, () -> tiny.joinParty(created.partyId(), peer("c")));
    assertEquals(PartyException.Reason.PARTY_FULL, e.reason());
  }

  @Test
  void onlyTheHostKicksOrDisbands() {
    PartyInfo created = registry.createParty("lan", peer("host"));
    registry.joinParty(created.partyId(), peer("b"));
    registry.joinParty(created.partyId(), peer("c"));
    assertThrows(NotHostException.class, () -> registry.kick(created.partyId(), "b", "c"));
    assertThrows(NotHostException.class, () -> registry.disband(created.partyId(), "b"));
    registry.kick(created.partyId(), "host", "c");
    assertEquals(2, registry.getParty(created.partyId()).orElseThrow().peers().size());
    registry.disband(created.partyId(), "host");
    assertTrue(registry.getParty(created.partyId()).isEmpty());
    assertTrue(events.contains("left c kicked"));
    assertTrue(events.contains("disbanded disbanded"));
  }

  @Test
  void hostLeavingDisbandsAndLastMemberLeavingDeletes() {
    PartyInfo first = registry.createParty("a", peer("host"));
    registry.joinParty(first.partyId(), peer("b"));
    assertTrue(registry.leaveParty(first.partyId(), "host"));
    assertTrue(registry.getParty(first.partyId()).isEmpty());
    assertFalse(registry.leaveParty(first.partyId(), "b"), "leaving a gone party is a no-op");
    assertTrue(events.contains("disbanded host-left"));
  }

  @Test
  void updateKeepsAddressKeyAndJoinTime() {
    PartyInfo created = registry.createParty("lan", peer("host"));
    registry.joinParty(created.partyId(), peer("b"));
    Peer attempt = registry.getParty(created.partyId()).orElseThrow().peer("b")
        .withVirtualIp("10.77.0.200").withEndpoint(io.partynet.Endpoint.parse("203.0.113.9:51820"))
        .withJoinedAt(clock.instant().plusSeconds(999));
    Peer stored = registry.updatePeer(created.partyId(), attempt);
    assertEquals("10.77.0.2", stored.virtualIp());
    assertEquals("203.0.113.9:51820", stored.endpoint().toString());
    assertEquals(clock.instant(), stored.joinedAt());
  }

  @Test
  void cleanupRemovesStaleMembersAndDisbandsWhenTheHostIsStale() {
    PartyInfo created = registry.createParty("lan", peer("host"));
    registry.joinParty(created.partyId(), peer("b"));
    clock.advance(Duration.ofSeconds(60));
    registry.heartbeat(created.partyId(), "host");
    clock.advance(Duration.ofSeconds(60));
    CleanupReport report = registry.cleanup();
    assertEquals(List.of("b"), report.removedPeers());
    assertEquals(1, registry.getParty(created.partyId()).orElseThrow().peers().size());
    clock.advance(Duration.ofSeconds(91));
    CleanupReport second = registry.cleanup();
    assertEquals(List.of(created.partyId()), second.disbandedParties());
    assertEquals(0, registry.partyCount());
  }

  @Test
  void snapshotSurvivesJsonAndRestore() throws Exception {
    PartyInfo created = registry.createParty("lan", peer("host"));
    registry.joinParty(created.partyId(), peer("b"));
    RegistrySnapshot snapshot = registry.snapshot();
    String json = Json.mapper().writeValueAsString(snapshot);
    RegistrySnapshot read = Json.mapper().readValue(json, RegistrySnapshot.class);
    assertEquals(snapshot, read);
    PartyRegistry restored = newRegistry(4);
    restored.restore(read);
    assertEquals(registry.snapshot(), restored.snapshot());
    assertEquals(created.partyId(), restored.getParty(created.partyId()).orElseThrow().partyId());
  }
}
