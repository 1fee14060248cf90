package io.partynet.server.internal.parties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.partynet.InviteCode;
import io.partynet.IpPrefix;
import io.partynet.core.internal.registry.PartyRegistry;
import io.partynet.core.internal.registry.RegistrySettings;
import io.partynet.server.internal.events.EventHub;
import io.partynet.server.internal.store.ServerStore;
import io.partynet.testing.Eventually;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;

/**
 * {@link RegistryPersistence#flush()} is a group commit: a request whose change a flush already
 * wrote returns without waiting for the writes of changes marked after it. The store's writes are
 * held on a semaphore, and every step waits for a thread state or a write to start (no sleeps).
 */
class RegistryPersistenceTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  /** Party ids (absent from the registry, so each write carries them as deletions). */
  private static final String P1 = InviteCode.generate(new Random(1));
  private static final String P2 = InviteCode.generate(new Random(2));
  private static final String P3 = InviteCode.generate(new Random(3));
  private static final String P4 = InviteCode.generate(new Random(4));

  /** Writes that wait for a permit each; records which parties each write carried. */
  private static final class HeldWrites implements ServerStore {
    final Semaphore permits = new Semaphore(0);
    final List<List<String>> writes = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void writeParties(List<PartyRow> upserts, List<String> deletions, CodeChanges codes, Instant now) {
      List<String> ids = new ArrayList<>(deletions);
      upserts.forEach(r -> ids.add(r.partyId()));
      writes.add(ids);
      permits.acquireUninterruptibly();
    }

    @Override public void insertAccount(AccountRow row) { throw new UnsupportedOperationException(); }
    @Override public void replaceToken(String peerId, String tokenHash) { throw new UnsupportedOperationException(); }
    @Override public void updateAccounts(Map<String, Instant> lastUsed, List<String> expired) { throw new UnsupportedOperationException(); }
    @Override public List<AccountRow> loadAccounts() { return List.of(); }
    @Override public void insertBans(List<BanRow> rows) { throw new UnsupportedOperationException(); }
    @Override public List<BanRow> loadBans() { return List.of(); }
    @Override public List<PartyRow> loadParties() { return List.of(); }
    @Override public java.util.Optional<String> partyOfCode(String code) { return java.util.Optional.empty(); }
    @Override public boolean takeCleanShutdown() { return true; }
    @Override public void markCleanShutdown() { }
    @Override public boolean reachable(int timeoutSeconds) { return true; }
    @Override public int schemaVersion() { return 1; }
    @Override public String describe() { return "held writes"; }
    @Override public void close() { }
  }

  private final HeldWrites store = new HeldWrites();
  private final PartyRegistry registry = new PartyRegistry(
      new RegistrySettings(IpPrefix.parse("10.77.0.0/16"), 16, Duration.ofSeconds(90)), Clock.systemUTC(), new Random(1));
  private final EventHub hub = new EventHub(registry, 8);
  private final RegistryPersistence persistence = new RegistryPersistence(
      registry, RegistryPersistence.Sequences.of(hub::seqOf, hub::restore), store, Clock.systemUTC());

  private Thread flushing(String party) {
    persistence.mark(party);
    Thread t = new Thread(persistence::flush, "flush " + party);
    t.start();
    return t;
  }

  private void awaitWrites(int n) {
    Eventually.until(WAIT, () -> store.writes.size() == n, () -> "write " + n + " started; writes " + store.writes);
  }

  private static void awaitBlocked(Thread t) {
    Eventually.until(WAIT, () -> t.getState() == Thread.State.BLOCKED, () -> t.getName() + " waits for the flush; " + t.getState());
  }

  @Test
  void aRequestWhoseChangeWasWrittenDoesNotWaitForLaterWrites() throws Exception {
    Thread a = flushing(P1);
    awaitWrites(1);
    Thread b = flushing(P2);
    awaitBlocked(b);
    Thread c = flushing(P3);
    awaitBlocked(c);

    store.permits.release(); // write 1 (p1) ends; b or c writes p2 and p3 together
    awaitWrites(2);
    assertEquals(Set.of(P2, P3), Set.copyOf(store.writes.get(1)), "one write for both queued changes");
    Thread d = flushing(P4);
    awaitBlocked(d);

    store.permits.release(); // write 2 ends; d's change still needs write 3, which is held
    awaitWrites(3);
    assertEquals(List.of(P4), store.writes.get(2));
    b.join(WAIT.toMillis());
    c.join(WAIT.toMillis());
    assertFalse(b.isAlive() || c.isAlive(), "the requests whose changes write 2 carried returned while write 3 is held");

    store.permits.release();
    a.join(WAIT.toMillis());
    d.join(WAIT.toMillis());
    assertFalse(a.isAlive() || d.isAlive(), "every flush returned");
    Set<String> written = new TreeSet<>();
    store.writes.forEach(written::addAll);
    assertEquals(Set.of(P1, P2, P3, P4), written);
    assertEquals(3, store.writes.size(), "no write without a change in it");
  }
}
