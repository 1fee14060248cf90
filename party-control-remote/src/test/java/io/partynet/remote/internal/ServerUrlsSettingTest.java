package io.partynet.remote.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.PartyConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code control.server-urls} is read as a typed setting: up to 8 absolute http(s) URLs. */
class ServerUrlsSettingTest {
  private static PartyConfig.Builder config() {
    return PartyConfig.builder().home(Path.of("/nonexistent-home-alice")).peerName("alice");
  }

  @Test
  void theListWinsOverTheSingleServerInItsOrder() {
    PartyConfig config = config().controlServer(URI.create("http://127.0.0.1:9000"))
        .setting("control.server-urls", " http://127.0.0.1:9001 ,https://127.0.0.2:9002,").build();
    assertEquals(List.of(URI.create("http://127.0.0.1:9001"), URI.create("https://127.0.0.2:9002")),
        ServerList.serversOf(config));
  }

  @Test
  void withoutTheListTheSingleServerIsUsed() {
    PartyConfig config = config().controlServer(URI.create("http://127.0.0.1:9000")).build();
    assertEquals(List.of(URI.create("http://127.0.0.1:9000")), ServerList.serversOf(config));
  }

  @Test
  void aBadUrlIsRefusedNamingTheSetting() {
    PartyConfig config = config().setting("control.server-urls", "http://127.0.0.1:9001,ftp://127.0.0.1:21").build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServerList.serversOf(config));
    assertTrue(e.getMessage().contains("control.server-urls") && e.getMessage().contains("http(s) URLs"),
        e.getMessage());
  }
}
