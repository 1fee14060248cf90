package io.partynet.remote.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.PartyConfig;
import io.partynet.spi.ControlPlane;
import io.partynet.spi.ControlPlaneProvider;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemoteControlPlaneProviderTest {
  @TempDir Path home;

  @Test
  void serviceLoaderFindsTheRemoteProvider() {
    ControlPlaneProvider provider = ServiceLoader.load(ControlPlaneProvider.class).stream()
        .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("remote")).findFirst().orElseThrow();
    PartyConfig config = PartyConfig.builder().home(home).controlMode("remote")
        .controlServer(URI.create("http://127.0.0.1:9")).build();
    try (ControlPlane plane = provider.create(config, Clock.systemUTC())) {
      assertEquals("remote", plane.name());
      assertTrue(plane instanceof RemoteControlPlaneClient);
    }
  }

  @Test
  void onlyHttpAndHttpsUrlsAreAccepted() {
    assertThrows(IllegalArgumentException.class, () -> RemoteControlPlaneClient.builder(URI.create("ftp://x/")));
    assertThrows(IllegalArgumentException.class, () -> RemoteControlPlaneClient.builder(URI.create("ws://x/")));
    RemoteControlPlaneClient.builder(URI.create("https://control.example:8443/base/")).build().close();
  }
}
