package io.partynet.server.internal.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.PartyException;
import io.partynet.PartyException.Reason;
import io.partynet.server.internal.store.ServerStore;
import io.partynet.server.internal.store.SqliteStore;
import io.partynet.testing.Eventually;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Accounts#register} holds its lock for the in-memory checks only: a registration whose
 * write is held does not hold up another peer's, a registration racing one of the same peer id or
 * key waits for its outcome (exactly one of two that cannot both stand wins), and a failed write
 * takes its claim back. Writes are held on a latch against a real SQLite store; every step waits
 * for a latch or a thread state (no sleeps).
 */
class AccountsTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String KEY_A = "A".repeat(43) + "=";
  private static final String KEY_B = "B".repeat(43) + "=";

  @TempDir Path dir;
  private final ExecutorService callers = Executors.newCachedThreadPool();
  private SqliteStore sqlite;
  private HeldWrites store;

  /** The real store, except that the write of one chosen peer waits for {@link #release} (or fails). */
  private static final class HeldWrites implements ServerStore {
    final ServerStore real;
    final String heldPeer;
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    volatile boolean failHeldWrite;
    volatile boolean failEveryWrite;

    HeldWrites(ServerStore real, String heldPeer) {
      this.real = real;
      this.heldPeer = heldPeer;
    }

    private void hold(String peerId) {
      if (failEveryWrite) {
        throw PartyException.of(Reason.STORAGE, "the test's disk failed");
      }
      if (!peerId.equals(heldPeer) || entered.getCount() == 0) {
        return;
      }
      entered.countDown();
      try {
        assertTrue(release.await(WAIT.toSeconds(), TimeUnit.SECONDS), "released");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (failHeldWrite) {
        throw PartyException.of(Reason.STORAGE, "the test's disk failed");
      }
    }

    @Override
    public void insertAccount(AccountRow row) {
      hold(row.peerId());
      real.insertAccount(row);
    }

    @Override
    public void replaceToken(String peerId, String tokenHash) {
      hold(peerId);
      real.replaceToken(peerId, tokenHash);
    }

    @Override public void updateAccounts(Map<String, Instant> lastUsed, List<String> expired) { real.updateAccounts(lastUsed, expired); }
    @Override public List<AccountRow> loadAccounts() { return real.loadAccounts(); }
    @Override public void insertBans(List<BanRow> rows) { real.insertBans(rows); }
    @Override public List<BanRow> loadBans() { return real.loadBans(); }
    @Override public List<PartyRow> loadParties() { return real.loadParties(); }
    @Override public void writeParties(List<PartyRow> upserts, List<String> deletions, CodeChanges codes, Instant now) {
      real.writeParties(upserts, deletions, codes, now);
    }
    @Override public Optional<String> partyOfCode(String code) { return real.partyOfCode(code); }
    @Override public boolean takeCleanShutdown() { return real.takeCleanShutdown(); }
    @Override public void markCleanShutdown() { real.markCleanShutdown(); }
    @Override public boolean reachable(int timeoutSeconds) { return real.reachable(timeoutSeconds); }
    @Override public int schemaVersion() { return real.schemaVersion(); }
    @Override public String describe() { return real.describe(); }
    @Override public void close() { real.close(); }
  }

  @BeforeEach
  void openStore() throws IOException {
    sqlite = SqliteStore.open(dir.resolve("server.db"));
  }

  @AfterEach
  void closeStore() throws InterruptedException {
    if (store != null) {
      store.release.countDown();
    }
    callers.shutdownNow();
    assertTrue(callers.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS), "every registration ended");
    sqlite.close();
  }

  private Accounts accountsHolding(String peerId) {
    store = new HeldWrites(sqlite, peerId);
    return new Accounts(store, Clock.systemUTC(), 100);
  }

  private CompletableFuture<String> registering(Accounts accounts, String peerId, String key) {
    return CompletableFuture.supplyAsync(() -> accounts.register(peerId, key), callers);
  }

  /** Starts a registration on a thread of its own and returns that thread once it runs. */
  private Thread rivalThread(CompletableFuture<String>[] rival, Accounts accounts, String peerId, String key)
      throws InterruptedException {
    Thread[] thread = new Thread[1];
    CountDownLatch started = new CountDownLatch(1);
    rival[0] = CompletableFuture.supplyAsync(() -> {
      thread[0] = Thread.currentThread();
      started.countDown();
      return accounts.register(peerId, key);
    }, callers);
    awaitLatch(started);
    return thread[0];
  }

  private static void awaitWaiting(Thread t) {
    // A registration waiting its turn waits on the lock's condition; one blocked on the lock itself would be BLOCKED.
    Eventually.until(WAIT, () -> t.getState() == Thread.State.TIMED_WAITING,
        () -> "the rival waits for the first registration's write; it is " + t.getState());
  }

  private static void awaitLatch(CountDownLatch latch) throws InterruptedException {
    assertTrue(latch.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the held write started");
  }

  @Test
  void anotherPeersRegistrationDoesNotWaitForAHeldWrite() throws Exception {
    Accounts accounts = accountsHolding("alice");
    CompletableFuture<String> alice = registering(accounts, "alice", KEY_A);
    awaitLatch(store.entered);

    String bob = registering(accounts, "bob", KEY_B).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertTrue(accounts.authenticate(bob).isPresent(), "bob registered while alice's write is held");
    assertFalse(alice.isDone());

    store.release.countDown();
    String aliceToken = alice.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertEquals("alice", accounts.authenticate(aliceToken).orElseThrow().peerId());
    assertEquals(2, sqlite.loadAccounts().size());
  }

  @Test
  void ofTwoRegistrationsOfOnePeerIdWithDifferentKeysExactlyOneWins() throws Exception {
    Accounts accounts = accountsHolding("alice");
    CompletableFuture<String> first = registering(accounts, "alice", KEY_A);
    awaitLatch(store.entered);
    @SuppressWarnings("unchecked")
    CompletableFuture<String>[] racing = new CompletableFuture[1];
    awaitWaiting(rivalThread(racing, accounts, "alice", KEY_B));
    CompletableFuture<String> rival = racing[0];
    assertFalse(rival.isDone());

    store.release.countDown();
    String token = first.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    ExecutionException lost = assertThrows(ExecutionException.class, () -> rival.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    assertEquals(Reason.FORBIDDEN, ((PartyException) lost.getCause()).reason());
    assertEquals(KEY_A, accounts.authenticate(token).orElseThrow().publicKey());
    assertEquals(List.of(KEY_A), sqlite.loadAccounts().stream().map(ServerStore.AccountRow::publicKey).toList());
  }

  @Test
  void whenTheFirstWriteFailsTheRacingRegistrationWins() throws Exception {
    Accounts accounts = accountsHolding("alice");
    store.failHeldWrite = true;
    CompletableFuture<String> first = registering(accounts, "alice", KEY_A);
    awaitLatch(store.entered);
    @SuppressWarnings("unchecked")
    CompletableFuture<String>[] racing = new CompletableFuture[1];
    awaitWaiting(rivalThread(racing, accounts, "carol", KEY_A));
    CompletableFuture<String> rival = racing[0];

    store.release.countDown();
    ExecutionException failed = assertThrows(ExecutionException.class, () -> first.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    assertEquals(Reason.STORAGE, ((PartyException) failed.getCause()).reason());
    String carol = rival.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertEquals("carol", accounts.authenticate(carol).orElseThrow().peerId(), "the key was free again");
    assertEquals(1, accounts.size());
    assertEquals(List.of("carol"), sqlite.loadAccounts().stream().map(ServerStore.AccountRow::peerId).toList());
  }

  @Test
  void aFailedWriteTakesItsClaimBackAndKeepsTheTokenItWouldHaveReplaced() {
    Accounts accounts = accountsHolding("nobody");
    String old = accounts.register("alice", KEY_A);
    store.failEveryWrite = true;

    PartyException replacing = assertThrows(PartyException.class, () -> accounts.register("alice", KEY_A));
    assertEquals(Reason.STORAGE, replacing.reason());
    assertEquals("alice", accounts.authenticate(old).orElseThrow().peerId(), "the old token still works");
    PartyException registering = assertThrows(PartyException.class, () -> accounts.register("bob", KEY_B));
    assertEquals(Reason.STORAGE, registering.reason());
    assertEquals(1, accounts.size(), "bob's claim was taken back");

    store.failEveryWrite = false;
    String bob = accounts.register("bob", KEY_B);
    assertEquals("bob", accounts.authenticate(bob).orElseThrow().peerId(), "bob's id and key were free again");
    assertEquals(Reason.FORBIDDEN, assertThrows(PartyException.class, () -> accounts.register("carol", KEY_B)).reason());
  }
}
