package io.partynet.remote.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenStoreTest {
  @TempDir Path dir;

  @Test
  void tokensSurviveARestartInAnOwnerOnlyFile() throws IOException {
    Path file = dir.resolve("sub").resolve("control-tokens.json");
    TokenStore.inFile(file).save("http://s:1", "peer", "tok");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    TokenStore reopened = TokenStore.inFile(file);
    assertEquals(Optional.of("tok"), reopened.load("http://s:1", "peer"));
    assertEquals(Optional.empty(), reopened.load("http://other:1", "peer"));
  }

  @Test
  void aCorruptFileIsMovedAsideNotDeleted() throws IOException {
    Path file = dir.resolve("control-tokens.json");
    Files.writeString(file, "{not json");
    TokenStore store = TokenStore.inFile(file);
    assertEquals(Optional.empty(), store.load("s", "p"));
    assertFalse(Files.exists(file));
    try (Stream<Path> files = Files.list(dir)) {
      assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("control-tokens.json.corrupt-")));
    }
  }

  @Test
  void inMemoryStoreWritesNothing() throws IOException {
    TokenStore store = TokenStore.inMemory();
    store.save("s", "p", "t");
    assertEquals(Optional.of("t"), store.load("s", "p"));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(0, files.count());
    }
  }
}
