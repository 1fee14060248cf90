package io.partynet.examples.cli.bench;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The phases of one joiner's connection to one member, read from the joiner's own log (its clock
 * only), from the moment its interface came up (the join's connection layer opened):
 * <ul>
 *   <li>{@code plan}: the last plan before the link came up ("connecting to NAME ... plan"), which
 *       is when the member's candidates, or its NAT type, arrived;</li>
 *   <li>{@code relay}: the relay path ready (the forwarder's channel bound), or -1 when none was;</li>
 *   <li>{@code up}: the link seen up at a tick (WireGuard's handshake; ticks are a second apart).</li>
 * </ul>
 * Immutable and thread-safe.
 *
 * @param planMs interface up -> the plan that connected
 * @param relayMs interface up -> relay path ready; -1: none
 * @param upMs interface up -> link up
 * @param path the path the link came up on (LAN, PUNCH, DIRECT, RELAY...)
 */
record JoinPhases(long planMs, long relayMs, long upMs, String path) {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

  /** The phases of {@code log}'s link to {@code peerName}; empty when the log lacks the lines. */
  static Optional<JoinPhases> of(String log, String peerName) {
    OffsetDateTime up = null;
    OffsetDateTime plan = null;
    OffsetDateTime relay = null;
    OffsetDateTime linkUp = null;
    String path = "";
    for (String line : log.lines().toList()) {
      OffsetDateTime at = stamp(line);
      if (at == null) {
        continue;
      }
      if (up == null && line.contains("DataPlane - interface ") && line.contains(" is up at ")) {
        up = at;
      } else if (linkUp == null && line.contains("ConnectionManager - connecting to " + peerName + " (")) {
        plan = at;
      } else if (linkUp == null && relay == null && line.contains("RelayForwarder - relay for ")) {
        relay = at;
      } else if (linkUp == null && line.contains("ConnectionManager - link to " + peerName + " (")
          && line.contains(" is UP via ")) {
        linkUp = at;
        path = line.substring(line.indexOf(" is UP via ") + " is UP via ".length()).strip();
      }
    }
    if (up == null || plan == null || linkUp == null) {
      return Optional.empty();
    }
    return Optional.of(new JoinPhases(ms(up, plan), relay == null ? -1 : ms(up, relay), ms(up, linkUp), path));
  }

  private static long ms(OffsetDateTime from, OffsetDateTime to) {
    return Duration.between(from, to).toMillis();
  }

  private static OffsetDateTime stamp(String line) {
    int space = line.indexOf(' ');
    if (space <= 0) {
      return null;
    }
    try {
      return OffsetDateTime.parse(line.substring(0, space), STAMP);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
