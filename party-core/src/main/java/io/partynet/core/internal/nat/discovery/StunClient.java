package io.partynet.core.internal.nat.discovery;

import io.partynet.core.internal.nat.stun.MessageClass;
import io.partynet.core.internal.nat.stun.StunAttribute;
import io.partynet.core.internal.nat.stun.StunCodec;
import io.partynet.core.internal.nat.stun.StunDecodeException;
import io.partynet.core.internal.nat.stun.StunEncoder;
import io.partynet.core.internal.nat.stun.StunMessage;
import io.partynet.core.internal.nat.stun.StunMethod;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Binding transactions on one UDP channel, retransmitting per {@link StunTiming}. Every call
 * is bounded by {@link StunTiming#total()}. Not thread-safe: one transaction at a time, and nothing
 * else may read the channel meanwhile (it reads every datagram and drops those that are not the
 * awaited answer). The channel is left in the blocking mode it had.
 */
public final class StunClient {
  private static final Logger LOG = LoggerFactory.getLogger(StunClient.class);
  /** STUN over UDP stays far below this; anything larger is not for us. */
  private static final int RECEIVE_BUFFER = 2048;

  private final DatagramChannel channel;
  private final StunTiming timing;
  private final LongSupplier nanoTime;

  public StunClient(DatagramChannel channel, StunTiming timing) {
    this(channel, timing, System::nanoTime);
  }

  StunClient(DatagramChannel channel, StunTiming timing, LongSupplier nanoTime) {
    this.channel = Objects.requireNonNull(channel, "channel");
    this.timing = Objects.requireNonNull(timing, "timing");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
  }

  /**
   * Sends a Binding request to {@code server} with {@code attributes} and returns the first
   * success response with the same transaction id, from any source address, or empty when none
   * came in time. Error responses and responses with unknown comprehension-required attributes
   * also yield empty (with a debug log).
   */
  public Optional<StunResponse> binding(InetSocketAddress server, List<StunAttribute> attributes)
      throws IOException {
    StunMessage request = StunMessage.request(StunMethod.BINDING, attributes);
    ByteBuffer wire = StunEncoder.plain().withFingerprint().encode(request);
    boolean wasBlocking = channel.isBlocking();
    try (Selector selector = Selector.open()) {
      channel.configureBlocking(false);
      SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
      try {
        ByteBuffer buffer = ByteBuffer.allocate(RECEIVE_BUFFER);
        for (int attempt = 0; attempt < timing.requests(); attempt++) {
          channel.send(wire.duplicate(), server);
          long deadline = nanoTime.getAsLong() + timing.waitAfter(attempt).toNanos();
          Optional<StunResponse> answer = await(selector, buffer, request, deadline);
          if (answer.isPresent()) {
            return answer.filter(r -> acceptable(r, server));
          }
        }
        return Optional.empty();
      } finally {
        key.cancel();
        selector.selectNow();
      }
    } finally {
      channel.configureBlocking(wasBlocking);
    }
  }

  private Optional<StunResponse> await(Selector selector, ByteBuffer buffer, StunMessage request, long deadline)
      throws IOException {
    while (true) {
      long left = deadline - nanoTime.getAsLong();
      if (left <= 0) {
        return Optional.empty();
      }
      selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      selector.selectedKeys().clear();
      SocketAddress from;
      while ((from = receive(buffer)) != null) {
        buffer.flip();
        if (!StunCodec.looksLikeStun(buffer)) {
          continue;
        }
        try {
          StunMessage m = StunCodec.decode(buffer);
          if (m.transactionId().equals(request.transactionId()) && m.messageClass().isResponse()) {
            return Optional.of(new StunResponse(m, (InetSocketAddress) from));
          }
        } catch (StunDecodeException e) {
          LOG.debug("dropped a malformed STUN datagram from {}: {}", from, e.getMessage());
        }
      }
    }
  }

  private SocketAddress receive(ByteBuffer buffer) throws IOException {
    buffer.clear();
    return channel.receive(buffer);
  }

  private static boolean acceptable(StunResponse response, InetSocketAddress server) {
    StunMessage m = response.message();
    if (m.messageClass() == MessageClass.ERROR_RESPONSE) {
      LOG.debug("{} answered with error {}", server, m.errorCode().orElse(null));
      return false;
    }
    if (!m.unknownComprehensionRequired().isEmpty()) {
      LOG.debug("{} answered with unknown required attributes {}", server, m.unknownComprehensionRequired());
      return false;
    }
    return true;
  }
}
