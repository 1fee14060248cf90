package io.partynet.core.internal.nat.turn;

import io.partynet.core.internal.nat.stun.ChannelData;
import io.partynet.core.internal.nat.stun.StunAttribute;
import io.partynet.core.internal.nat.stun.StunMessage;
import io.partynet.core.internal.nat.stun.StunMethod;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The permissions and channel bindings of one {@link TurnClient}'s allocation (RFC 8656 sections
 * 9 and 12), each refreshed on {@link TurnSchedule} until it is released or the client closes
 * (the client's timer stops then), and where the data arriving on a channel goes.
 *
 * <p>Thread-safe.
 */
final class TurnChannels {
  private static final Logger LOG = LoggerFactory.getLogger(TurnChannels.class);

  private final TurnTransactions transactions;
  private final ScheduledExecutorService timer;
  private final Map<Integer, Binding> channels = new ConcurrentHashMap<>();
  private final Map<InetSocketAddress, Integer> channelsByPeer = new ConcurrentHashMap<>();
  private final Map<InetAddress, ScheduledFuture<?>> permissions = new ConcurrentHashMap<>();
  private final AtomicInteger nextChannel = new AtomicInteger(ChannelData.MIN_CHANNEL);

  private record Binding(InetSocketAddress peer, TurnClient.DataHandler handler, ScheduledFuture<?> refresh) {}

  TurnChannels(TurnTransactions transactions, ScheduledExecutorService timer) {
    this.transactions = transactions;
    this.timer = timer;
  }

  /** See {@link TurnClient#createPermission}. */
  CompletableFuture<Void> createPermission(InetAddress peer) {
    List<StunAttribute> attributes = List.of(StunAttribute.Address.xorPeer(new InetSocketAddress(peer, 0)));
    return transactions.request(StunMethod.CREATE_PERMISSION, attributes).thenRun(() -> {
      ScheduledFuture<?> previous = permissions.put(peer, timer.schedule(() -> refreshPermission(peer),
          TurnSchedule.PERMISSION_REFRESH.toMillis(), TimeUnit.MILLISECONDS));
      if (previous != null) {
        previous.cancel(false);
      }
    });
  }

  private void refreshPermission(InetAddress peer) {
    createPermission(peer).whenComplete((ok, e) -> {
      if (e != null) {
        LOG.warn("TURN permission refresh for {} failed: {}", peer, e.toString());
      }
    });
  }

  /** See {@link TurnClient#bindChannel}. */
  CompletableFuture<Integer> bind(InetSocketAddress peer, TurnClient.DataHandler handler) {
    Objects.requireNonNull(handler, "handler");
    Integer existing = channelsByPeer.get(peer);
    int number = existing != null ? existing : nextChannel.getAndIncrement();
    if (number > ChannelData.MAX_CHANNEL) {
      return CompletableFuture.failedFuture(
          new TurnException(TurnException.Reason.PROTOCOL, 0, "all TURN channel numbers are in use"));
    }
    return sendChannelBind(number, peer).thenApply(ignored -> {
      ScheduledFuture<?> refresh = timer.scheduleAtFixedRate(() -> sendChannelBind(number, peer).whenComplete((ok, e) -> {
        if (e != null) {
          LOG.warn("TURN channel {} refresh for {} failed: {}", number, peer, e.toString());
        }
      }), TurnSchedule.CHANNEL_REFRESH.toMillis(), TurnSchedule.CHANNEL_REFRESH.toMillis(), TimeUnit.MILLISECONDS);
      Binding previous = channels.put(number, new Binding(peer, handler, refresh));
      if (previous != null) {
        previous.refresh().cancel(false);
      }
      channelsByPeer.put(peer, number);
      return number;
    });
  }

  /** See {@link TurnClient#releaseChannel}. */
  void release(int channelNumber) {
    Binding released = channels.remove(channelNumber);
    if (released != null) {
      released.refresh().cancel(false);
      channelsByPeer.remove(released.peer(), channelNumber);
    }
  }

  boolean isBound(int channelNumber) {
    return channels.containsKey(channelNumber);
  }

  /** Hands a ChannelData frame's data to the handler of its channel; drops it on an unbound channel. */
  void deliver(ChannelData frame) {
    Binding binding = channels.get(frame.channel());
    if (binding != null) {
      binding.handler().onData(binding.peer(), ByteBuffer.wrap(frame.data()));
    }
  }

  private CompletableFuture<StunMessage> sendChannelBind(int number, InetSocketAddress peer) {
    return transactions.request(StunMethod.CHANNEL_BIND,
        List.of(new StunAttribute.ChannelNumber(number), StunAttribute.Address.xorPeer(peer)));
  }
}
