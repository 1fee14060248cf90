package io.partynet.core.internal.nat.discovery;

import io.partynet.Endpoint;
import io.partynet.NatType;
import java.util.Objects;

/**
 * What RFC 5780 behaviour discovery measured from one local port against one server. Immutable
 * and thread-safe.
 *
 * @param server the STUN server's primary address
 * @param mapped the public endpoint of the local port as the server saw it
 * @param mapping the measured mapping behaviour
 * @param filtering the measured filtering behaviour
 * @param note why a behaviour is UNKNOWN, or empty
 */
public record DiscoveryResult(
    Endpoint server, Endpoint mapped, MappingBehavior mapping, FilteringBehavior filtering, String note) {
  public DiscoveryResult {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(mapped, "mapped");
    Objects.requireNonNull(mapping, "mapping");
    Objects.requireNonNull(filtering, "filtering");
    Objects.requireNonNull(note, "note");
  }

  public NatType natType() {
    return NatClassifier.classify(mapping, filtering);
  }

  /** One line for logs and {@link io.partynet.spi.NatReport#detail()}. */
  public String describe() {
    return "STUN server " + server + " saw " + mapped + "; mapping " + name(mapping) + ", filtering "
        + name(filtering) + (note.isEmpty() ? "" : " (" + note + ")");
  }

  private static String name(Enum<?> e) {
    return e.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
