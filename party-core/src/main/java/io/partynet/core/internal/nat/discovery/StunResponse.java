package io.partynet.core.internal.nat.discovery;

import io.partynet.core.internal.nat.stun.AttributeType;
import io.partynet.core.internal.nat.stun.StunAttribute;
import io.partynet.core.internal.nat.stun.StunMessage;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * A response and the address it came from. Immutable and thread-safe.
 *
 * @param message the decoded response
 * @param from where the datagram came from (with CHANGE-REQUEST, the server's other address)
 */
public record StunResponse(StunMessage message, InetSocketAddress from) {
  public StunResponse {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(from, "from");
  }

  /** XOR-MAPPED-ADDRESS, or MAPPED-ADDRESS from an old server. */
  public Optional<InetSocketAddress> mappedAddress() {
    return message.address(AttributeType.XOR_MAPPED_ADDRESS)
        .or(() -> message.address(AttributeType.MAPPED_ADDRESS))
        .map(StunAttribute.Address::address);
  }

  /** OTHER-ADDRESS: the server's alternate IP and port (RFC 5780 section 7.4). */
  public Optional<InetSocketAddress> otherAddress() {
    return message.address(AttributeType.OTHER_ADDRESS).map(StunAttribute.Address::address);
  }
}
