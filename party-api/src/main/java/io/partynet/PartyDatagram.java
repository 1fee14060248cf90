package io.partynet;

import java.util.Objects;

/**
 * A UDP datagram received over the party network.
 *
 * @param sourceIp the sender's virtual IP
 * @param sourcePort the sender's UDP port
 * @param payload the UDP payload (a copy; the record never shares it)
 *
 * <p>Immutable and thread-safe.
 */
public record PartyDatagram(String sourceIp, int sourcePort, byte[] payload) {
  public PartyDatagram {
    Objects.requireNonNull(sourceIp, "sourceIp");
    payload = payload.clone();
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }
}
