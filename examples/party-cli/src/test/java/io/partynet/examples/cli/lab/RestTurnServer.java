package io.partynet.examples.cli.lab;

import io.partynet.testing.lab.Lab;
import io.partynet.testing.lab.LabException;
import io.partynet.testing.lab.LabProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A second coturn in the lab's STUN namespace, on {@link Lab#STUN_PRIMARY}:{@link #PORT}, with
 * {@code use-auth-secret} (the TURN REST API credentials the control server issues): the lab's own
 * coturn keeps its static user for the other tests. The secret is random per lab and lives in two
 * 0600 files (coturn's config, the server's {@code --turn-secret-file}), never on a command line.
 * The lab ends the process with everything else it started.
 */
final class RestTurnServer {
  static final int PORT = 3480;
  private static final String SECRET_FILE = "turn-rest-secret";

  private RestTurnServer() {}

  static void start(Lab lab) {
    byte[] random = new byte[16];
    ThreadLocalRandom.current().nextBytes(random);
    String secret = HexFormat.of().formatHex(random);
    Path config = ownerOnly(lab.workDir().resolve("turn-rest.conf"), "static-auth-secret=" + secret + "\n");
    ownerOnly(lab.workDir().resolve(SECRET_FILE), secret + "\n");
    LabProcess coturn = lab.start(lab.stunNamespace(), "coturn-rest", "turnserver", "-c", config.toString(),
        "--listening-ip", Lab.STUN_PRIMARY, "--relay-ip", Lab.STUN_PRIMARY, "--listening-port", Integer.toString(PORT),
        "--min-port", "40000", "--max-port", "44999",
        "--use-auth-secret", "--realm", "partynet.lab", "--fingerprint",
        "--userdb", lab.workDir().resolve("turn-rest-db.sqlite").toString(),
        "--pidfile", lab.workDir().resolve("turn-rest.pid").toString(),
        "--no-tls", "--no-dtls", "--no-cli", "--log-file", "stdout");
    Lab.await("the use-auth-secret coturn to bind " + Lab.STUN_PRIMARY + ":" + PORT, Duration.ofSeconds(15), () -> {
      if (!coturn.isAlive()) {
        throw new LabException("turnserver exited:\n" + coturn.output());
      }
      return lab.run(lab.stunNamespace(), "ss", "-ulnH").orThrow().output().contains(Lab.STUN_PRIMARY + ":" + PORT + " ");
    });
  }

  /** The control server's options: coturn's STUN, this TURN server, its secret file and the credential lifetime. */
  static List<String> serverArguments(Lab lab, int credentialSeconds) {
    return List.of("--stun", Lab.STUN_PRIMARY + ":" + Lab.STUN_PORT, "--turn", Lab.STUN_PRIMARY + ":" + PORT,
        "--turn-secret-file", lab.workDir().resolve(SECRET_FILE).toString(),
        "--turn-credential-lifetime", Integer.toString(credentialSeconds));
  }

  private static Path ownerOnly(Path file, String content) {
    try {
      return Files.writeString(Files.createFile(file,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))), content);
    } catch (IOException e) {
      throw new LabException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
