package io.partynet.core.internal.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateKeyStoreTest {
  @TempDir Path home;

  @Test
  void createsAnOwnerOnlyKeyFileAndLoadsTheSameKeyLater() throws Exception {
    Path keys = home.resolve("keys");
    WireGuardKeyPair created = PrivateKeyStore.loadOrCreate(keys);
    Path file = keys.resolve(PrivateKeyStore.FILE_NAME);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys)));
    assertEquals(created.privateKey().toBase64(), WireGuardKeysTest.read(file));
    assertEquals(WireGuardKeysTest.wgPubkey(created.privateKey()), created.publicKey().toBase64());
    assertEquals(created, PrivateKeyStore.loadOrCreate(keys));
  }

  @Test
  void keyFromWgGenkeyIsUsedAndLooseModesAreTightened() throws Exception {
    Path keys = Files.createDirectories(home.resolve("keys"));
    Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path file = keys.resolve(PrivateKeyStore.FILE_NAME);
    String genkey = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";
    Files.writeString(file, genkey + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    WireGuardKeyPair loaded = PrivateKeyStore.loadOrCreate(keys);
    assertEquals(genkey, loaded.privateKey().toBase64());
    assertEquals(WireGuardKeysTest.wgPubkey(loaded.privateKey()), loaded.publicKey().toBase64());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys)));
  }

  @Test
  void aDamagedKeyFileIsReportedAndLeftAlone() throws Exception {
    Path keys = Files.createDirectories(home.resolve("keys"));
    Path file = keys.resolve(PrivateKeyStore.FILE_NAME);
    String damaged = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBm=";
    Files.writeString(file, damaged);
    IOException e = assertThrows(IOException.class, () -> PrivateKeyStore.loadOrCreate(keys));
    assertFalse(e.getMessage().contains("yAnz5"), "the message must not quote key material");
    assertEquals(damaged, Files.readString(file));
  }

  @Test
  void concurrentFirstStartsAgreeOnOneKey() throws Exception {
    Path keys = home.resolve("keys");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<WireGuardKeyPair>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(pool.submit((Callable<WireGuardKeyPair>) () -> PrivateKeyStore.loadOrCreate(keys)));
      }
      Set<WireGuardKeyPair> distinct = new HashSet<>();
      for (Future<WireGuardKeyPair> result : results) {
        distinct.add(result.get(30, TimeUnit.SECONDS));
      }
      assertEquals(1, distinct.size());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void logsAndToStringShowThePublicKeyOnly() throws Exception {
    PrintStream originalErr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    WireGuardKeyPair created;
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      created = PrivateKeyStore.loadOrCreate(home.resolve("keys"));
    } finally {
      System.setErr(originalErr);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    assertTrue(log.contains(created.publicKey().toBase64()), "the creation is logged: " + log);
    assertFalse(log.contains(created.privateKey().toBase64()), "private key in the log");
    assertFalse(created.toString().contains(created.privateKey().toBase64()));
    assertTrue(created.toString().contains(created.publicKey().toBase64()));
  }
}
