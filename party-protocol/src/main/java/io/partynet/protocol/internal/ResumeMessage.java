package io.partynet.protocol.internal;

import java.util.Map;
import java.util.Objects;

/**
 * The client's first (and only kind of) WebSocket message: for each party it follows, the last
 * sequence number it has seen. The server answers with the missed events, or a snapshot when they
 * are no longer kept, then {@code ready}. Parties the peer is in but does not name get a snapshot.
 * Immutable and thread-safe.
 */
public record ResumeMessage(String type, Map<String, Long> parties) {
  public static final int MAX_PARTIES = 64;

  public ResumeMessage {
    if (!Protocol.CLIENT_RESUME.equals(type)) {
      throw new IllegalArgumentException("type must be '" + Protocol.CLIENT_RESUME + "'");
    }
    parties = Map.copyOf(Objects.requireNonNullElse(parties, Map.of()));
    if (parties.size() > MAX_PARTIES) {
      throw new IllegalArgumentException("at most " + MAX_PARTIES + " parties per resume");
    }
    for (Long seq : parties.values()) {
      if (seq < 0) {
        throw new IllegalArgumentException("seq must be >= 0");
      }
    }
  }

  public static ResumeMessage of(Map<String, Long> parties) {
    return new ResumeMessage(Protocol.CLIENT_RESUME, parties);
  }
}
