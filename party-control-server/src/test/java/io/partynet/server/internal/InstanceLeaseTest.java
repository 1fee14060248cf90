package io.partynet.server.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.server.internal.store.StoreLocation;
import io.partynet.server.testing.PostgresCluster;
import io.partynet.server.testing.PostgresDatabase;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The instance lease on a real PostgreSQL: held by one at a time (or by shared instances together), free the moment it is closed. */
class InstanceLeaseTest {
  @RegisterExtension final PostgresDatabase db = new PostgresDatabase();
  private StoreLocation.Postgres location;

  @BeforeEach
  void locateTheStore() {
    location = new StoreLocation.Postgres(db.jdbcUrl(), PostgresCluster.USER, null, 1);
  }

  private InstanceLease take() throws IOException {
    return InstanceLease.acquire(location, false, Duration.ofMillis(100), Duration.ofSeconds(60), () -> true, () -> {});
  }

  @Test
  void aHeldLeaseIsRefusedToASecondInstance() throws Exception {
    try (InstanceLease held = take()) {
      IOException refused = assertThrows(IOException.class, this::take);
      assertTrue(refused.getMessage().contains("--standby"), refused.getMessage());
    }
  }

  private InstanceLease takeShared() throws IOException {
    return InstanceLease.acquireShared(location, Duration.ofSeconds(60), () -> {});
  }

  /** Shared instances hold the lease together; an exclusive instance cannot join them, nor they it. */
  @Test
  void sharedHoldersCoexistAndExcludeAnExclusiveOneBothWays() throws Exception {
    try (InstanceLease first = takeShared(); InstanceLease second = takeShared()) {
      IOException refused = assertThrows(IOException.class, this::take);
      assertTrue(refused.getMessage().contains("--shared"), refused.getMessage());
    }
    try (InstanceLease exclusive = take()) {
      IOException refused = assertThrows(IOException.class, this::takeShared);
      assertTrue(refused.getMessage().contains("without --shared"), refused.getMessage());
    }
    takeShared().close();
  }

  /**
   * A server restarted at once on its database (an update, a test's restart) must find the lease
   * free: closing the old one releases it before close returns, not when the backend gets round to
   * ending the session. Many rounds, because the old way lost the race only now and then.
   */
  @Test
  void aClosedLeaseCanBeTakenAgainAtOnce() throws Exception {
    for (int round = 0; round < 50; round++) {
      take().close();
    }
    take().close();
  }
}
