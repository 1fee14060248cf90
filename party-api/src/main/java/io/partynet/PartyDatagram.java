package io.partynet;

import java.util.Objects;

/**
 * A UDP datagram received over the party network.
 *
 * <p>Immutable and thread-safe.
 *
 * @param sourceIp the sender's virtual IP
 * @param sourcePort the sender's UDP port
 * @param payload the UDP payload (a copy; the record never shares it)
 */
public record PartyDatagram(String sourceIp, int sourcePort, byte[] payload) {
  /**
   * Copies the payload.
   *
   * @param sourceIp the sender's virtual IP
   * @param sourcePort the sender's UDP port
   * @param payload the UDP payload (a copy; the record never shares it)
   * @throws NullPointerException when {@code sourceIp} or {@code payload} is null
   */
  public PartyDatagram {
    Objects.requireNonNull(sourceIp, "sourceIp");
    payload = payload.clone();
  }

  /**
   * The UDP payload.
   *
   * @return a new copy on every call
   */
  @Override
  public byte[] payload() {
    return payload.clone();
  }
}
