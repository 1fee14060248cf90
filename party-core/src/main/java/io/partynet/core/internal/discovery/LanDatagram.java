package io.partynet.core.internal.discovery;

import java.util.Objects;

/**
 * One UDP datagram of LAN discovery, as a local program sent it (captured) or as it is to reach
 * local programs (delivered): to a broadcast address or a multicast group.
 *
 * @param sourceIp the sender's IPv4 address (captured: a local address; delivered: the sending
 *     member's virtual IP)
 * @param destinationIp 255.255.255.255, a subnet broadcast, or a multicast group
 */
public record LanDatagram(String sourceIp, int sourcePort, String destinationIp, int destinationPort, byte[] payload) {
  public LanDatagram {
    Objects.requireNonNull(sourceIp, "sourceIp");
    Objects.requireNonNull(destinationIp, "destinationIp");
    Objects.requireNonNull(payload, "payload");
    if (sourcePort < 1 || sourcePort > 65535 || destinationPort < 1 || destinationPort > 65535) {
      throw new IllegalArgumentException("ports must be in 1..65535: " + sourcePort + " -> " + destinationPort);
    }
  }

  /** True when the destination is an IPv4 multicast group (224.0.0.0/4). */
  public boolean isMulticast() {
    return Ipv4.isMulticast(Ipv4.parse(destinationIp));
  }

  @Override
  public String toString() {
    return sourceIp + ":" + sourcePort + " -> " + destinationIp + ":" + destinationPort + " (" + payload.length
        + " bytes)";
  }
}
