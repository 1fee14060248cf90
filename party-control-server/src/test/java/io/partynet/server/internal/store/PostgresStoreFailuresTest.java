package io.partynet.server.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.PartyException;
import io.partynet.PartyException.Reason;
import io.partynet.server.testing.PostgresCluster;
import io.partynet.server.testing.PostgresDatabase;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a request is told when {@link PostgresStore} gets no connection: a pool whose connections
 * are all lent out is load and says how to raise the pool; a database that cannot be reached says
 * to check it. Against a real PostgreSQL; each case waits out the pool's connection timeout once.
 */
class PostgresStoreFailuresTest {
  @RegisterExtension final PostgresDatabase db = new PostgresDatabase();

  private PostgresStore open(int poolSize) throws Exception {
    return (PostgresStore) new StoreLocation.Postgres(db.jdbcUrl(), PostgresCluster.USER, null, poolSize).open();
  }

  @Test
  void aPoolWithEveryConnectionInUseSaysSoWithItsSizeAndHowToRaiseIt() throws Exception {
    try (PostgresStore store = open(1)) {
      CountDownLatch holding = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> store.transaction("hold the only connection", c -> {
        holding.countDown();
        try {
          return release.await(120, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }));
      try {
        assertTrue(holding.await(60, TimeUnit.SECONDS), "the only connection is lent out");
        PartyException e = assertThrows(PartyException.class, () -> store.partyOfCode("ABCD-EFGH-JKMN"));
        assertEquals(Reason.STORAGE, e.reason());
        assertTrue(e.getMessage().contains("all 1 connections of the pool were in use"), e.getMessage());
        assertTrue(e.getMessage().contains("--db-pool-size"), e.getMessage());
        assertFalse(e.getMessage().contains("reachable"), e.getMessage());
      } finally {
        release.countDown();
        holder.get(60, TimeUnit.SECONDS);
      }
      assertEquals(java.util.Optional.empty(), store.partyOfCode("ABCD-EFGH-JKMN"), "the pool serves again");
    }
  }

  @Test
  void aDatabaseThatCannotBeReachedSaysToCheckIt() throws Exception {
    try (PostgresStore store = open(2)) {
      db.drop(); // ends the pool's connections; new ones are refused
      PartyException e = assertThrows(PartyException.class, () -> store.partyOfCode("ABCD-EFGH-JKMN"));
      assertEquals(Reason.STORAGE, e.reason());
      assertTrue(e.getMessage().contains("check that it is running and reachable from this server"), e.getMessage());
      assertFalse(e.getMessage().contains("--db-pool-size"), e.getMessage());
    }
  }
}
