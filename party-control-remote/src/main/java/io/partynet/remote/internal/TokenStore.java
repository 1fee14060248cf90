package io.partynet.remote.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import io.partynet.protocol.internal.ProtocolJson;
import io.partynet.protocol.internal.files.AtomicFiles;
import io.partynet.protocol.internal.files.Quarantine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the bearer tokens this device obtained, one per (server, peer id), in a JSON file of mode
 * 0600, so that a restarted SDK keeps acting as the same peer. A token is a credential: it is never
 * logged. {@link #inMemory()} keeps them for the life of the process only. Thread-safe.
 */
public final class TokenStore {
  private static final Logger LOG = LoggerFactory.getLogger(TokenStore.class);
  private static final TypeReference<TreeMap<String, String>> MAP = new TypeReference<>() {};
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private final Path file;
  private final Map<String, String> tokens = new TreeMap<>();

  private TokenStore(Path file) {
    this.file = file;
  }

  public static TokenStore inMemory() {
    return new TokenStore(null);
  }

  /** A store backed by {@code file}; an unreadable file is moved aside with a warning, never deleted. */
  public static TokenStore inFile(Path file) {
    TokenStore store = new TokenStore(file);
    if (Files.exists(file)) {
      try {
        store.tokens.putAll(ProtocolJson.lenient().readValue(Files.readString(file), MAP));
      } catch (IOException | RuntimeException e) {
        try {
          Optional<Path> aside = Quarantine.moveAside(file, Clock.systemUTC());
          LOG.warn("token file {} is unreadable ({}); moved to {} and starting without tokens", file,
              e.getMessage(), aside.map(Path::toString).orElse("(already gone)"));
        } catch (IOException moveFailure) {
          LOG.warn("token file {} is unreadable ({}) and could not be moved aside: {}", file, e.getMessage(),
              moveFailure.getMessage());
        }
      }
    }
    return store;
  }

  public synchronized Optional<String> load(String server, String peerId) {
    return Optional.ofNullable(tokens.get(key(server, peerId)));
  }

  /** Remembers {@code token}; a failure to write the file is logged and the token kept in memory. */
  public synchronized void save(String server, String peerId, String token) {
    tokens.put(key(server, peerId), token);
    if (file != null) {
      try {
        writeAtomically();
      } catch (IOException e) {
        LOG.warn("could not save the control-plane token to {} ({}); it is kept in memory only", file, e.getMessage());
      }
    }
  }

  private void writeAtomically() throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    AtomicFiles.write(file, ProtocolJson.write(tokens).getBytes(StandardCharsets.UTF_8), OWNER_ONLY);
  }

  private static String key(String server, String peerId) {
    return server + " " + peerId;
  }
}
