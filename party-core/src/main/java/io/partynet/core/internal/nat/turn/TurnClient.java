package io.partynet.core.internal.nat.turn;

import io.partynet.Endpoint;
import io.partynet.core.internal.concurrent.DaemonThreads;
import io.partynet.core.internal.nat.discovery.StunTiming;
import io.partynet.core.internal.nat.stun.AttributeType;
import io.partynet.core.internal.nat.stun.ChannelData;
import io.partynet.core.internal.nat.stun.MessageClass;
import io.partynet.core.internal.nat.stun.StunAttribute;
import io.partynet.core.internal.nat.stun.StunCodec;
import io.partynet.core.internal.nat.stun.StunDecodeException;
import io.partynet.core.internal.nat.stun.StunEncoder;
import io.partynet.core.internal.nat.stun.StunMessage;
import io.partynet.core.internal.nat.stun.StunMethod;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TURN client over UDP (RFC 8656): one allocation on one server through one socket. Allocates
 * with long-term credentials (answers 401 with REALM/NONCE, follows 438 Stale Nonce), keeps the
 * allocation, permissions and channel bindings alive with refreshes, and sends and receives
 * ChannelData. Every request is bounded by its {@link StunTiming}; futures fail with
 * {@link TurnException}.
 *
 * <p>Thread-safe. Received data is delivered on the client's receive thread
 * ("partynet-turn-rx"): handlers must return quickly. Only datagrams from the server's address are
 * looked at; responses carrying MESSAGE-INTEGRITY are checked with the credentials' key.
 *
 * <p>This class owns the socket, the receive thread and the allocation; the requests themselves
 * (authentication, retransmission, matching responses) are {@link TurnTransactions}', the
 * permissions and channel bindings {@link TurnChannels}'.
 */
public final class TurnClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TurnClient.class);
  /** Retransmission for TURN requests: RTO 250 ms, 6 requests, Rm 16 (11.75 s in all). */
  public static final StunTiming DEFAULT_TIMING = new StunTiming(Duration.ofMillis(250), 6, 16);
  public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(10);
  private static final int MAX_DATAGRAM = 65_535;

  /** Receives relayed data; called on the receive thread. */
  @FunctionalInterface
  public interface DataHandler {
    DataHandler NONE = (peer, data) -> { };

    /** {@code data} is only valid during the call. */
    void onData(InetSocketAddress peer, ByteBuffer data);
  }

  private final DatagramChannel channel;
  private final boolean ownsChannel;
  private final InetSocketAddress server;
  private final Duration requestedLifetime;
  private final ScheduledExecutorService timer;
  private final Selector selector;
  private final Thread receiveThread;
  private final TurnTransactions transactions;
  private final TurnChannels bindings;
  private volatile DataHandler indicationHandler = DataHandler.NONE;
  private volatile Consumer<Throwable> allocationLostHandler = failure -> { };
  private volatile TurnAllocation allocation;
  private volatile ScheduledFuture<?> allocationRefresh;
  private volatile boolean closed;

  private TurnClient(Builder b) throws IOException {
    this.server = b.server.toSocketAddress();
    this.requestedLifetime = b.lifetime;
    if (b.channel != null) {
      this.channel = b.channel;
      this.ownsChannel = false;
    } else {
      this.channel = DatagramChannel.open();
      this.channel.bind(new InetSocketAddress(0));
      this.ownsChannel = true;
    }
    this.channel.configureBlocking(false);
    this.selector = Selector.open();
    this.channel.register(selector, SelectionKey.OP_READ);
    this.timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("partynet-turn-timer"));
    this.transactions = new TurnTransactions(channel, server, b.credentials, b.timing, timer);
    this.bindings = new TurnChannels(transactions, timer);
    this.receiveThread = new Thread(this::receiveLoop, "partynet-turn-rx");
    this.receiveThread.setDaemon(true);
    this.receiveThread.start();
  }

  public static Builder builder(Endpoint server, TurnCredentials credentials) {
    return new Builder(server, credentials);
  }

  /** Options of a {@link TurnClient}. Not thread-safe; build once. */
  public static final class Builder {
    private final Endpoint server;
    private final TurnCredentials credentials;
    private DatagramChannel channel;
    private StunTiming timing = DEFAULT_TIMING;
    private Duration lifetime = DEFAULT_LIFETIME;

    private Builder(Endpoint server, TurnCredentials credentials) {
      this.server = Objects.requireNonNull(server, "server");
      this.credentials = Objects.requireNonNull(credentials, "credentials");
    }

    /** Use this bound socket instead of a new one; the client reads everything from it until closed. */
    public Builder channel(DatagramChannel shared) {
      this.channel = Objects.requireNonNull(shared, "channel");
      return this;
    }

    public Builder timing(StunTiming t) {
      this.timing = Objects.requireNonNull(t, "timing");
      return this;
    }

    /** The allocation lifetime to ask for (the server may grant less). */
    public Builder lifetime(Duration l) {
      if (l.getSeconds() < 1 || l.toHours() > 1) {
        throw new IllegalArgumentException("lifetime must be 1 s..1 h: " + l);
      }
      this.lifetime = l;
      return this;
    }

    public TurnClient build() throws IOException {
      return new TurnClient(this);
    }
  }

  /** The local address of the socket that talks to the server. */
  public InetSocketAddress localAddress() throws IOException {
    return (InetSocketAddress) channel.getLocalAddress();
  }

  /** The current allocation, or null before {@link #allocate()} succeeded. */
  public TurnAllocation allocation() {
    return allocation;
  }

  /** Where Data indications (data from peers without a channel) go. */
  public void onIndicationData(DataHandler handler) {
    this.indicationHandler = Objects.requireNonNull(handler, "handler");
  }

  /**
   * Called (on a TURN thread) when refreshing the allocation failed: it must be taken as gone
   * (it expires, or the server already dropped it), with its relayed address and channels.
   */
  public void onAllocationLost(Consumer<Throwable> handler) {
    this.allocationLostHandler = Objects.requireNonNull(handler, "handler");
  }

  /** Allocates a UDP relay and keeps it refreshed until {@link #close()}. */
  public CompletableFuture<TurnAllocation> allocate() {
    List<StunAttribute> attributes = List.of(
        new StunAttribute.RequestedTransport(StunAttribute.RequestedTransport.UDP),
        new StunAttribute.Lifetime(requestedLifetime.getSeconds()));
    return request(StunMethod.ALLOCATE, attributes).thenCompose(response -> {
      var relayed = response.address(AttributeType.XOR_RELAYED_ADDRESS);
      if (relayed.isEmpty()) {
        return CompletableFuture.failedFuture(
            new TurnException(TurnException.Reason.PROTOCOL, 0, "Allocate success without XOR-RELAYED-ADDRESS"));
      }
      TurnAllocation granted = new TurnAllocation(
          relayed.get().address(),
          response.address(AttributeType.XOR_MAPPED_ADDRESS).map(StunAttribute.Address::address).orElse(null),
          lifetimeOf(response));
      allocation = granted;
      scheduleAllocationRefresh(granted.lifetime());
      LOG.info("TURN allocation on {}: relayed {}, mapped {}, lifetime {}", server, granted.relayed(),
          granted.mapped(), granted.lifetime());
      return CompletableFuture.completedFuture(granted);
    });
  }

  /** Refreshes the allocation now (the client also does this by itself); returns the new lifetime. */
  public CompletableFuture<Duration> refresh() {
    return request(StunMethod.REFRESH, List.of(new StunAttribute.Lifetime(requestedLifetime.getSeconds())))
        .thenApply(response -> {
          Duration lifetime = lifetimeOf(response);
          TurnAllocation current = allocation;
          if (current != null) {
            allocation = new TurnAllocation(current.relayed(), current.mapped(), lifetime);
          }
          scheduleAllocationRefresh(lifetime);
          return lifetime;
        });
  }

  /** Installs a permission for {@code peer} (any port), refreshed every 4 minutes until close. */
  public CompletableFuture<Void> createPermission(InetAddress peer) {
    return bindings.createPermission(peer);
  }

  /**
   * Binds a channel to {@code peer} (which also installs its permission) and routes the peer's
   * data to {@code handler}; re-binds every 9 minutes until close. Returns the channel number.
   */
  public CompletableFuture<Integer> bindChannel(InetSocketAddress peer, DataHandler handler) {
    return bindings.bind(peer, handler);
  }

  /**
   * Stops refreshing channel {@code channelNumber} and drops what arrives on it (TURN cannot unbind:
   * the server forgets the binding 10 minutes after its last refresh).
   */
  public void releaseChannel(int channelNumber) {
    bindings.release(channelNumber);
  }

  /** Sends {@code data} to the peer bound to {@code channelNumber} as one ChannelData datagram. */
  public void send(int channelNumber, ByteBuffer data) throws IOException {
    if (!bindings.isBound(channelNumber)) {
      throw new TurnException(TurnException.Reason.PROTOCOL, 0, "channel " + channelNumber + " is not bound");
    }
    channel.send(ChannelData.encode(channelNumber, data), server);
  }

  /** Sends {@code data} to {@code peer} in a Send indication (needs a permission for the peer). */
  public void sendIndication(InetSocketAddress peer, ByteBuffer data) throws IOException {
    byte[] bytes = new byte[data.remaining()];
    data.duplicate().get(bytes);
    StunMessage indication = StunMessage.indication(StunMethod.SEND,
        List.of(StunAttribute.Address.xorPeer(peer), new StunAttribute.Data(bytes)));
    channel.send(StunEncoder.plain().withFingerprint().encode(indication), server);
  }

  /**
   * Deletes the allocation (Refresh with LIFETIME 0, waiting at most one retransmission schedule's
   * first second) and stops the client. Closes the socket only if the client opened it.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    if (allocation != null) {
      try {
        request(StunMethod.REFRESH, List.of(new StunAttribute.Lifetime(0))).get(1, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        // the server forgets the allocation at expiry anyway
        LOG.debug("TURN deallocation on {} not confirmed: {}", server, e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    closed = true;
    transactions.close();
    timer.shutdownNow();
    selector.wakeup();
    try {
      receiveThread.join(2000);
      selector.close();
      if (ownsChannel) {
        channel.close();
      }
    } catch (IOException e) {
      LOG.debug("closing TURN socket: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void scheduleAllocationRefresh(Duration lifetime) {
    ScheduledFuture<?> previous = allocationRefresh;
    if (previous != null) {
      previous.cancel(false);
    }
    if (closed || lifetime.isZero()) {
      return;
    }
    allocationRefresh = timer.schedule(() -> refresh().whenComplete((l, e) -> {
      if (e != null && !closed) {
        LOG.warn("TURN allocation refresh on {} failed: {}", server, e.toString());
        allocationLostHandler.accept(TurnFutures.unwrap(e));
      }
    }), TurnSchedule.allocationRefresh(lifetime).toMillis(), TimeUnit.MILLISECONDS);
  }

  private static Duration lifetimeOf(StunMessage response) {
    return response.attribute(AttributeType.LIFETIME, StunAttribute.Lifetime.class)
        .map(l -> Duration.ofSeconds(l.seconds()))
        .orElse(DEFAULT_LIFETIME);
  }

  private CompletableFuture<StunMessage> request(int method, List<StunAttribute> attributes) {
    return transactions.request(method, attributes);
  }

  private void receiveLoop() {
    ByteBuffer buffer = ByteBuffer.allocateDirect(MAX_DATAGRAM);
    while (!closed) {
      try {
        selector.select(500);
        selector.selectedKeys().clear();
        SocketAddress from;
        while (!closed && (from = receive(buffer)) != null) {
          if (!server.equals(from)) {
            LOG.debug("ignored a datagram from {}: not the TURN server", from);
            continue;
          }
          buffer.flip();
          dispatch(buffer);
        }
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException | RuntimeException e) {
        if (!closed) {
          LOG.warn("TURN receive loop: {}", e.toString());
        }
      }
    }
  }

  private SocketAddress receive(ByteBuffer buffer) throws IOException {
    buffer.clear();
    return channel.receive(buffer);
  }

  private void dispatch(ByteBuffer datagram) {
    try {
      if (ChannelData.looksLikeChannelData(datagram)) {
        bindings.deliver(ChannelData.decode(datagram));
        return;
      }
      if (!StunCodec.looksLikeStun(datagram)) {
        return;
      }
      StunMessage message = StunCodec.decode(datagram);
      if (message.messageClass() == MessageClass.INDICATION && message.method() == StunMethod.DATA) {
        var peer = message.address(AttributeType.XOR_PEER_ADDRESS);
        var data = message.attribute(AttributeType.DATA, StunAttribute.Data.class);
        if (peer.isPresent() && data.isPresent()) {
          indicationHandler.onData(peer.get().address(), ByteBuffer.wrap(data.get().bytes()));
        }
        return;
      }
      transactions.onResponse(message, datagram);
    } catch (StunDecodeException e) {
      LOG.debug("dropped a malformed datagram from {}: {}", server, e.getMessage());
    }
  }
}
