package io.partynet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Party;
import io.partynet.PartyConfig;
import io.partynet.PartyManager;
import io.partynet.server.testing.ControlServerExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full create, join and leave against a real server leaves every file in both members' homes
 * {@code rw-------} and every folder {@code rwx------} (settings.db and SQLite's own WAL/SHM files,
 * state.json, keys, tokens, locks), and neither the TURN password from the settings nor the bearer
 * tokens the server issued appear in anything the SDK logged.
 */
class SecretsStayPrivateTest {
  private static final String TURN_PASSWORD = "turn-pass-7f3a91c2";

  @RegisterExtension final ControlServerExtension server = ControlServerExtension.on(Clock.systemUTC());
  @TempDir Path dir;

  private PartyManager member(String name) throws Exception {
    PartyConfig config = PartyConfig.load(dir.resolve(name), Map.of("control.mode", "remote",
        "control.server-url", server.uri().toString(), "control.fallback-to-local", "false",
        "network.backend", "off", "peer.name", name, "nat.turn-username", "u", "nat.turn-password", TURN_PASSWORD,
        "control.local.discovery-file", dir.resolve("local").resolve("discovery.json").toString()));
    assertFalse(config.toString().contains(TURN_PASSWORD), config.toString());
    return PartyManager.builder().config(config).build();
  }

  @Test
  void afterCreateJoinAndLeaveEveryFileInTheHomesIsTheOwnersAloneAndNoSecretWasLogged() throws Exception {
    ByteArrayOutputStream logged = new ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    System.setErr(new PrintStream(new TeeStream(originalErr, logged), true, StandardCharsets.UTF_8));
    try {
      try (PartyManager alice = member("alice"); PartyManager bob = member("bob")) {
        Party party = alice.create("private").get(20, TimeUnit.SECONDS);
        bob.join(party.id(), "bob").get(20, TimeUnit.SECONDS);
        bob.leave().get(20, TimeUnit.SECONDS);
        alice.leave().get(20, TimeUnit.SECONDS);
      }
    } finally {
      System.setErr(originalErr);
    }

    List<String> wrong = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    for (String name : List.of("alice", "bob")) {
      try (Stream<Path> all = Files.walk(dir.resolve(name))) {
        for (Path path : all.toList()) {
          String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
          String expected = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? "rwx------" : "rw-------";
          if (!mode.equals(expected)) {
            wrong.add(dir.relativize(path) + " " + mode);
          }
          files.add(path);
        }
      }
    }
    assertTrue(wrong.isEmpty(), "not private: " + wrong);
    List<String> names = files.stream().map(p -> p.getFileName().toString()).toList();
    assertTrue(names.containsAll(List.of("settings.db", "state.json", "keys")), "the run made the usual files: " + names);

    String log = logged.toString(StandardCharsets.UTF_8);
    assertFalse(log.contains(TURN_PASSWORD), "the TURN password was logged");
    List<String> tokens = tokensIn(dir.resolve("alice"));
    tokens.addAll(tokensIn(dir.resolve("bob")));
    assertEquals(2, tokens.size(), "each member holds the token the server issued it");
    for (String token : tokens) {
      assertFalse(log.contains(token), "a bearer token was logged");
    }
  }

  /** The token values in the member's token file (a JSON object of "server peer" to token). */
  private static List<String> tokensIn(Path home) throws Exception {
    List<String> tokens = new ArrayList<>();
    try (Stream<Path> all = Files.walk(home)) {
      for (Path file : all.filter(p -> p.getFileName().toString().endsWith("tokens.json")).toList()) {
        Matcher m = Pattern.compile("\"[^\"]+\"\\s*:\\s*\"([^\"]+)\"").matcher(Files.readString(file));
        while (m.find()) {
          tokens.add(m.group(1));
        }
      }
    }
    return tokens;
  }

  /** Writes to the console and keeps a copy. */
  private static final class TeeStream extends java.io.OutputStream {
    private final java.io.OutputStream first;
    private final java.io.OutputStream second;

    TeeStream(java.io.OutputStream first, java.io.OutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public synchronized void write(int b) throws java.io.IOException {
      first.write(b);
      second.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws java.io.IOException {
      first.write(b, off, len);
      second.write(b, off, len);
    }
  }
}
