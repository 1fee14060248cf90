package io.partynet.core.internal.nat.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.NatType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NatTypeCacheTest {
  private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
  private static final String HOME = "0123456789abcdef0123456789abcdef";
  private static final String CAFE = "fedcba9876543210fedcba9876543210";

  @TempDir
  Path dir;

  @Test
  void aClassificationIsRememberedPerNetworkInAPrivateFile() throws Exception {
    Path file = dir.resolve("nat-cache");
    new NatTypeCache(file).put(HOME, NatType.PORT_RESTRICTED_CONE, NOW);
    NatTypeCache restarted = new NatTypeCache(file);
    assertEquals(Optional.of(NatType.PORT_RESTRICTED_CONE), restarted.get(HOME, NOW.plusSeconds(60)));
    assertEquals(Optional.empty(), restarted.get(CAFE, NOW), "another network is classified again");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void anOldEntryIsNotTrusted() {
    NatTypeCache cache = new NatTypeCache(dir.resolve("nat-cache"));
    cache.put(HOME, NatType.FULL_CONE, NOW);
    assertEquals(Optional.empty(), cache.get(HOME, NOW.plus(NatTypeCache.MAX_AGE).plus(Duration.ofSeconds(1))));
    assertEquals(Optional.empty(), cache.get(HOME, NOW.minusSeconds(3600)), "learnt in the future: a clock jump");
  }

  @Test
  void unknownIsNotAnAnswerAndIsNotStored() {
    NatTypeCache cache = new NatTypeCache(dir.resolve("nat-cache"));
    cache.put(HOME, NatType.SYMMETRIC, NOW);
    cache.put(HOME, NatType.UNKNOWN, NOW.plusSeconds(1));
    assertEquals(Optional.of(NatType.SYMMETRIC), cache.get(HOME, NOW.plusSeconds(2)));
    cache.put("", NatType.OPEN, NOW);
    assertTrue(cache.get("", NOW).isEmpty(), "an unnamed network (offline) is never cached");
  }

  @Test
  void atMostSixteenNetworksTheMostRecentStay() throws Exception {
    Path file = dir.resolve("nat-cache");
    NatTypeCache cache = new NatTypeCache(file);
    for (int i = 0; i < NatTypeCache.MAX_NETWORKS + 4; i++) {
      cache.put(String.format("%032x", i), NatType.FULL_CONE, NOW.plusSeconds(i));
    }
    assertEquals(NatTypeCache.MAX_NETWORKS, Files.readAllLines(file).size());
    assertTrue(cache.get(String.format("%032x", 0), NOW.plusSeconds(100)).isEmpty(), "the oldest went");
    assertTrue(cache.get(String.format("%032x", NatTypeCache.MAX_NETWORKS + 3), NOW.plusSeconds(100)).isPresent());
  }

  @Test
  void damagedLinesAndAForeignFileAreIgnored() throws Exception {
    Path file = dir.resolve("nat-cache");
    Files.writeString(file, "garbage\n" + HOME + " NOT_A_TYPE 1\n" + CAFE + " OPEN " + NOW.getEpochSecond() + "\n"
        + "zz OPEN 1\n" + HOME + " OPEN notanumber\n", StandardCharsets.US_ASCII);
    NatTypeCache cache = new NatTypeCache(file);
    assertEquals(Optional.of(NatType.OPEN), cache.get(CAFE, NOW));
    assertTrue(cache.get(HOME, NOW).isEmpty());
    Files.write(file, new byte[64 * 1024]);
    assertTrue(cache.get(CAFE, NOW).isEmpty(), "a file far larger than the cache can be is not read");
  }

  @Test
  void theFingerprintOfThisHostIsStableAndHidesItsAddresses() {
    String first = NetworkFingerprint.current("partynet-none");
    assertEquals(first, NetworkFingerprint.current("partynet-none"));
    assertTrue(first.isEmpty() || first.matches("[0-9a-f]{32}"), first);
  }
}
