package io.partynet.server.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The runnable server jar (built by the shade plugin in the package phase; failsafe runs this
 * after it) holds the server and the protocol but nothing of the remote client: no OkHttp, okio or
 * Java-WebSocket classes and no client {@code ControlPlaneProvider} service file, which would make
 * the server offer a control plane it never uses. Kotlin is not checked: Javalin itself needs its
 * standard library.
 */
class ShadedJarIT {
  private static final Path JAR = Path.of("target", "party-control-server.jar");
  private static Set<String> entries;

  @BeforeAll
  static void readJar() throws IOException {
    assertTrue(Files.isRegularFile(JAR), "run through Maven's verify phase: " + JAR.toAbsolutePath() + " is missing");
    try (JarFile jar = new JarFile(JAR.toFile())) {
      entries = jar.stream().map(e -> e.getName()).collect(Collectors.toUnmodifiableSet());
    }
  }

  @Test
  void holdsTheServerAndTheProtocol() {
    assertTrue(entries.contains("io/partynet/server/internal/ServerMain.class"));
    assertTrue(entries.contains("io/partynet/protocol/internal/EventMessage.class"));
    assertTrue(entries.contains("io/javalin/Javalin.class"));
  }

  @Test
  void holdsNothingOfTheRemoteClient() {
    List<String> clientEntries = entries.stream()
        .filter(name -> name.startsWith("okhttp3/") || name.startsWith("okio/")
            || name.startsWith("org/java_websocket/") || name.startsWith("io/partynet/remote/")
            || name.equals("META-INF/services/io.partynet.spi.ControlPlaneProvider"))
        .sorted()
        .toList();
    assertEquals(List.of(), clientEntries);
  }
}
