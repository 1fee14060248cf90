package io.partynet.protocol.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.partynet.Key;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateKeyFileTest {
  @TempDir
  Path dir;

  private static Key someKey() {
    byte[] bytes = new byte[32];
    new Random(11).nextBytes(bytes);
    return Key.fromBytes(bytes);
  }

  @Test
  void writtenAsWgGenkeyDoesAndReadBack() throws IOException {
    Key key = someKey();
    Path file = PrivateKeyFile.in(dir);
    Files.write(file, PrivateKeyFile.encode(key));
    assertEquals(key.toBase64() + "\n", Files.readString(file, StandardCharsets.US_ASCII));
    assertEquals(key, PrivateKeyFile.read(file));
    assertEquals("private.key", file.getFileName().toString());
  }

  @Test
  void aDamagedFileIsRefusedWithoutQuotingIt() throws IOException {
    Path file = PrivateKeyFile.in(dir);
    String damaged = someKey().toBase64().substring(0, 40) + "!!!!";
    Files.writeString(file, damaged);
    IOException e = assertThrows(IOException.class, () -> PrivateKeyFile.read(file));
    assertFalse(e.getMessage().contains(damaged.substring(0, 20)), e.getMessage());
  }

  @Test
  void aLargeFileIsNotRead() throws IOException {
    Path file = PrivateKeyFile.in(dir);
    Files.writeString(file, someKey().toBase64() + "\n" + " ".repeat(PrivateKeyFile.MAX_BYTES));
    assertThrows(IOException.class, () -> PrivateKeyFile.read(file));
  }
}
