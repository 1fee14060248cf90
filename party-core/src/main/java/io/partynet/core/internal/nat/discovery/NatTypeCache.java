package io.partynet.core.internal.nat.discovery;

import io.partynet.NatType;
import io.partynet.protocol.internal.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NAT classifications remembered per network ({@link NetworkFingerprint}), so a member restarting
 * on a network it already classified does not run behaviour discovery again. Bounded: at most
 * {@link #MAX_NETWORKS} networks (the oldest are dropped), each entry trusted for {@link #MAX_AGE}
 * (a router can be replaced). One line per network, {@code FINGERPRINT NATTYPE EPOCH_SECONDS}, in
 * a file of mode 0600; lines that do not parse are ignored, and an unreadable file is an empty
 * cache. UNKNOWN is never stored: it is not an answer.
 *
 * <p>Thread-safe.
 */
public final class NatTypeCache {
  public static final int MAX_NETWORKS = 16;
  public static final Duration MAX_AGE = Duration.ofHours(24);
  /** Far more than {@link #MAX_NETWORKS} lines ever need; a larger file is not ours. */
  private static final long MAX_FILE_BYTES = 16 * 1024;
  private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-f]{32}");
  private static final Logger LOG = LoggerFactory.getLogger(NatTypeCache.class);

  private record Entry(NatType natType, Instant learnt) {}

  private final Path file;

  public NatTypeCache(Path file) {
    this.file = file;
  }

  /** The classification of {@code network} learnt within {@link #MAX_AGE} before {@code now}. */
  public synchronized Optional<NatType> get(String network, Instant now) {
    Entry entry = read().get(network);
    if (entry == null || entry.learnt().isAfter(now) || entry.learnt().plus(MAX_AGE).isBefore(now)) {
      return Optional.empty();
    }
    return Optional.of(entry.natType());
  }

  /** Remembers {@code natType} for {@code network}; UNKNOWN and an unnamed network are not stored. */
  public synchronized void put(String network, NatType natType, Instant now) {
    if (!FINGERPRINT.matcher(network).matches() || natType == NatType.UNKNOWN) {
      return;
    }
    Map<String, Entry> entries = read();
    entries.remove(network);
    entries.put(network, new Entry(natType, now));
    StringBuilder out = new StringBuilder();
    entries.entrySet().stream()
        .sorted(Comparator.comparing((Map.Entry<String, Entry> e) -> e.getValue().learnt()).reversed())
        .limit(MAX_NETWORKS)
        .forEach(e -> out.append(e.getKey()).append(' ').append(e.getValue().natType().name()).append(' ')
            .append(e.getValue().learnt().getEpochSecond()).append('\n'));
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      AtomicFiles.write(file, out.toString().getBytes(StandardCharsets.US_ASCII),
          PosixFilePermissions.fromString("rw-------"));
    } catch (IOException | UnsupportedOperationException e) {
      LOG.warn("cannot remember the NAT type in {}: {}", file, e.getMessage());
    }
  }

  private Map<String, Entry> read() {
    Map<String, Entry> entries = new LinkedHashMap<>();
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        LOG.warn("ignoring {}: larger than a NAT cache can be", file);
        return entries;
      }
      for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
        String[] fields = line.trim().split(" ");
        if (fields.length != 3 || !FINGERPRINT.matcher(fields[0]).matches()) {
          continue;
        }
        try {
          NatType type = NatType.valueOf(fields[1]);
          if (type != NatType.UNKNOWN) {
            entries.put(fields[0], new Entry(type, Instant.ofEpochSecond(Long.parseLong(fields[2]))));
          }
        } catch (IllegalArgumentException | DateTimeException e) {
          // A damaged line: that network is simply classified again.
        }
      }
    } catch (NoSuchFileException e) {
      // Nothing learnt yet.
    } catch (IOException e) {
      LOG.warn("cannot read the NAT cache {}: {}", file, e.getMessage());
    }
    return entries;
  }
}
