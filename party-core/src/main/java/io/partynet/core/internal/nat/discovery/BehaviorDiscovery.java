package io.partynet.core.internal.nat.discovery;

import io.partynet.Endpoint;
import io.partynet.core.internal.nat.stun.StunAttribute;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * RFC 5780 section 4 behaviour discovery from one UDP channel against one server. Not thread-safe
 * (it drives a {@link StunClient}); every run is bounded by about five transactions' timeouts.
 *
 * <p>Filtering is tested before the extra mapping tests on purpose: mapping tests II and III send
 * to the server's other address, which would open an address-dependent filter toward it and make
 * the CHANGE-REQUEST answers pass a filter they should not.
 */
public final class BehaviorDiscovery {
  private static final StunAttribute CHANGE_IP_AND_PORT = new StunAttribute.ChangeRequest(true, true);
  private static final StunAttribute CHANGE_PORT = new StunAttribute.ChangeRequest(false, true);

  private final StunClient client;
  private final DatagramChannel channel;

  public BehaviorDiscovery(DatagramChannel channel, StunTiming timing) {
    this.channel = Objects.requireNonNull(channel, "channel");
    this.client = new StunClient(channel, timing);
  }

  /** Runs the tests; empty when the server did not answer test I at all. */
  public Optional<DiscoveryResult> run(InetSocketAddress primary) throws IOException {
    Optional<StunResponse> test1 = client.binding(primary, List.of());
    if (test1.isEmpty()) {
      return Optional.empty();
    }
    Optional<InetSocketAddress> mapped1 = test1.get().mappedAddress();
    if (mapped1.isEmpty()) {
      return Optional.empty();
    }
    Endpoint server = Endpoint.of(primary);
    Endpoint mapped = Endpoint.of(mapped1.get());
    Optional<InetSocketAddress> other = test1.get().otherAddress();
    if (other.isEmpty() || other.get().getAddress().equals(primary.getAddress())
        || other.get().getPort() == primary.getPort()) {
      return Optional.of(new DiscoveryResult(server, mapped, MappingBehavior.UNKNOWN, FilteringBehavior.UNKNOWN,
          "the server does not support RFC 5780: no usable OTHER-ADDRESS"));
    }
    InetSocketAddress alternate = other.get();
    FilteringBehavior filtering = filtering(primary, alternate);
    MappingBehavior mapping = isLocal(mapped1.get())
        ? MappingBehavior.NO_NAT
        : mapping(primary, alternate, mapped1.get());
    String note = mapping == MappingBehavior.UNKNOWN ? "a mapping test went unanswered"
        : filtering == FilteringBehavior.UNKNOWN ? "the server answered CHANGE-REQUEST from the wrong address" : "";
    return Optional.of(new DiscoveryResult(server, mapped, mapping, filtering, note));
  }

  private FilteringBehavior filtering(InetSocketAddress primary, InetSocketAddress alternate) throws IOException {
    Optional<StunResponse> changed = client.binding(primary, List.of(CHANGE_IP_AND_PORT));
    if (changed.isPresent()) {
      InetSocketAddress from = changed.get().from();
      return from.getAddress().equals(alternate.getAddress()) && from.getPort() == alternate.getPort()
          ? FilteringBehavior.ENDPOINT_INDEPENDENT
          : FilteringBehavior.UNKNOWN;
    }
    Optional<StunResponse> portChanged = client.binding(primary, List.of(CHANGE_PORT));
    if (portChanged.isPresent()) {
      InetSocketAddress from = portChanged.get().from();
      return from.getAddress().equals(primary.getAddress()) && from.getPort() == alternate.getPort()
          ? FilteringBehavior.ADDRESS_DEPENDENT
          : FilteringBehavior.UNKNOWN;
    }
    return FilteringBehavior.ADDRESS_AND_PORT_DEPENDENT;
  }

  private MappingBehavior mapping(InetSocketAddress primary, InetSocketAddress alternate, InetSocketAddress mapped1)
      throws IOException {
    InetSocketAddress alternateIpPrimaryPort = new InetSocketAddress(alternate.getAddress(), primary.getPort());
    Optional<InetSocketAddress> mapped2 = client.binding(alternateIpPrimaryPort, List.of())
        .flatMap(StunResponse::mappedAddress);
    if (mapped2.isEmpty()) {
      return MappingBehavior.UNKNOWN;
    }
    if (mapped2.get().equals(mapped1)) {
      return MappingBehavior.ENDPOINT_INDEPENDENT;
    }
    Optional<InetSocketAddress> mapped3 = client.binding(alternate, List.of()).flatMap(StunResponse::mappedAddress);
    if (mapped3.isEmpty()) {
      return MappingBehavior.UNKNOWN;
    }
    return mapped3.get().equals(mapped2.get())
        ? MappingBehavior.ADDRESS_DEPENDENT
        : MappingBehavior.ADDRESS_AND_PORT_DEPENDENT;
  }

  /** True when the server saw our own address and port: nothing translated them. */
  private boolean isLocal(InetSocketAddress mapped) throws IOException {
    InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
    if (local == null || local.getPort() != mapped.getPort()) {
      return false;
    }
    try {
      return NetworkInterface.getByInetAddress(mapped.getAddress()) != null;
    } catch (SocketException e) {
      throw new IOException("cannot list local interfaces: " + e.getMessage(), e);
    }
  }
}
