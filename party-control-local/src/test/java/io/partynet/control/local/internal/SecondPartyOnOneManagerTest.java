package io.partynet.control.local.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Party;
import io.partynet.PartyConfig;
import io.partynet.PartyManager;
import io.partynet.testing.FakeNetworkBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A network backend the application hands to {@link PartyManager#builder()} stays the
 * application's: the manager takes it down between parties and never closes it, so one manager
 * runs party after party on it (a JNA backend cannot come up again once closed; the fake here
 * behaves the same). Runs on the real local control plane.
 */
class SecondPartyOnOneManagerTest {
  @TempDir Path dir;

  private PartyConfig config() {
    return PartyConfig.builder().home(dir.resolve("alice")).peerName("alice").controlMode("local")
        .discoveryFile(dir.resolve("discovery.json")).requestTimeout(Duration.ofSeconds(5)).build();
  }

  @Test
  void aSecondPartyRunsOnTheBackendTheApplicationPassedIn() throws Exception {
    FakeNetworkBackend backend = new FakeNetworkBackend("given").closeIsFinal();
    try (PartyManager manager = PartyManager.builder().config(config()).networkBackend(backend).build()) {
      Party first = manager.create("first").get(10, TimeUnit.SECONDS);
      assertTrue(backend.isUp());
      manager.leave().get(10, TimeUnit.SECONDS);
      assertFalse(backend.isUp(), "the interface goes down with the party");

      Party second = manager.create("second").get(10, TimeUnit.SECONDS);
      assertNotEquals(first.id(), second.id());
      assertTrue(backend.isUp(), "the same backend came up again");
      assertEquals("given", manager.status().get(10, TimeUnit.SECONDS).network());
    }
    assertFalse(backend.calls().contains("close"), "never closed by the SDK: " + backend.calls());
    assertEquals(2, backend.calls().stream().filter("down"::equals).count(),
        "taken down after leaving and when the manager closed: " + backend.calls());
  }
}
