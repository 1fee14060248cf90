package io.partynet.core.internal.discovery;

import io.partynet.DiscoveryStats;
import io.partynet.PartyDatagram;
import io.partynet.PartyDatagramSocket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay between one member's LAN (through a {@link DiscoveryTap}) and the other members
 * (through a {@link PartyDatagramSocket} on the relay port of the virtual IP).
 *
 * <p>Rules that keep a party of any size free of loops and storms:
 * <ul>
 *   <li>a captured datagram whose source is another member's virtual IP came from the party (a
 *       delivery of ours) and is never relayed;</li>
 *   <li>a frame from the party is only ever delivered locally, never sent on, so each send reaches
 *       each other member exactly once;</li>
 *   <li>frames are accepted only from current members' virtual IPs and their relay port, only
 *       within this member's own scope, at most {@code maxPayload} bytes;</li>
 *   <li>a token bucket per member and port bounds both directions.</li>
 * </ul>
 *
 * <p>Thread-safe: captures arrive on the tap's thread, frames on the relay's receive thread.
 */
public final class DiscoveryRelay implements AutoCloseable {
  static final String LOCAL = "local";
  private static final Duration RECEIVE_SLICE = Duration.ofMillis(500);
  private static final Logger LOG = LoggerFactory.getLogger(DiscoveryRelay.class);

  private final DiscoverySettings settings;
  private final DiscoveryTap tap;
  private final PartyDatagramSocket socket;
  private final Supplier<Set<String>> otherMembers;
  private final RateLimiter limiter;
  private final DiscoveryCounters counters = new DiscoveryCounters();
  private volatile boolean closed;
  private Thread receiver;

  /**
   * @param otherMembers the other members' virtual IPs, read for every datagram (membership changes
   *     apply at once)
   * @param nanoTime the clock of the rate limits
   */
  public DiscoveryRelay(DiscoverySettings settings, DiscoveryTap tap, PartyDatagramSocket socket,
      Supplier<Set<String>> otherMembers, LongSupplier nanoTime) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.tap = Objects.requireNonNull(tap, "tap");
    this.socket = Objects.requireNonNull(socket, "socket");
    this.otherMembers = Objects.requireNonNull(otherMembers, "otherMembers");
    this.limiter = new RateLimiter(settings.burst(), settings.ratePerSecond(), nanoTime);
  }

  /** Starts capturing and a daemon thread that receives frames from the party. */
  public synchronized void start() throws IOException {
    tap.start(settings.scope(), this::onLocal);
    receiver = new Thread(this::receiveLoop, "partynet-discovery");
    receiver.setDaemon(true);
    receiver.start();
  }

  /** A local program's broadcast or multicast: relay it to every other member. */
  void onLocal(LanDatagram datagram) {
    int destination = Ipv4.parse(datagram.destinationIp());
    if (closed || !settings.scope().carries(destination, datagram.destinationPort(), !Ipv4.isMulticast(destination))) {
      return;
    }
    Set<String> members = otherMembers.get();
    if (members.contains(datagram.sourceIp()) || datagram.payload().length > settings.maxPayload()) {
      counters.dropped.increment();
      return;
    }
    counters.seen(datagram.destinationPort());
    if (!limiter.allow(LOCAL, datagram.destinationPort())) {
      counters.rateLimited.increment();
      return;
    }
    byte[] frame = RelayFrame.of(datagram).encode();
    for (String member : members) {
      try {
        socket.send(member, settings.relayPort(), ByteBuffer.wrap(frame));
      } catch (IOException | RuntimeException e) {
        LOG.debug("discovery datagram to {} not sent: {}", member, e.toString());
      }
    }
    counters.relayed.increment();
  }

  /** A frame from the party: validate it and deliver it to local programs. */
  void onParty(PartyDatagram datagram) {
    if (datagram.sourcePort() != settings.relayPort() || !otherMembers.get().contains(datagram.sourceIp())) {
      counters.dropped.increment();
      return;
    }
    RelayFrame frame;
    try {
      frame = RelayFrame.decode(datagram.payload(), settings.maxPayload());
    } catch (MalformedFrameException e) {
      LOG.debug("dropping a malformed discovery frame from {}: {}", datagram.sourceIp(), e.getMessage());
      counters.dropped.increment();
      return;
    }
    if (!settings.scope().carries(frame.destinationIp(), frame.destinationPort(), !frame.multicast())) {
      counters.dropped.increment();
      return;
    }
    counters.seen(frame.destinationPort());
    if (!limiter.allow(datagram.sourceIp(), frame.destinationPort())) {
      counters.rateLimited.increment();
      return;
    }
    try {
      tap.deliver(new LanDatagram(datagram.sourceIp(), frame.sourcePort(), Ipv4.format(frame.destinationIp()),
          frame.destinationPort(), frame.payload()));
      counters.delivered.increment();
    } catch (IOException | RuntimeException e) {
      LOG.debug("discovery datagram from {} not delivered: {}", datagram.sourceIp(), e.toString());
      counters.dropped.increment();
    }
  }

  public DiscoveryStats stats() {
    return counters.snapshot(tap.mode(), tap.captureOverflows());
  }

  private void receiveLoop() {
    while (!closed) {
      try {
        PartyDatagram datagram = socket.receive(RECEIVE_SLICE);
        if (datagram != null) {
          onParty(datagram);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (IOException | RuntimeException e) {
        if (!closed) {
          LOG.debug("discovery relay receive failed: {}", e.toString());
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    tap.close();
    socket.close();
    Thread t;
    synchronized (this) {
      t = receiver;
      receiver = null;
    }
    if (t != null) {
      t.interrupt();
    }
  }
}
