package io.partynet.core.internal.connection;

import io.partynet.PartyDatagram;
import io.partynet.PartyDatagramSocket;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures round-trip time to each member over the tunnel itself: every member answers probe
 * pings on the probe port of its virtual IP, and pings the others on request. Works over any
 * {@link PartyDatagramSocket}: the embedded backend's user-space sockets, or an operating-system
 * socket bound to the virtual IP for kernel and TUN backends. The answers are also the member's
 * presence on the tunnel: a member that answered before and has been silent for longer than the
 * caller's limit is {@linkplain #silentFor silent} (crashed, or its path died), and its last
 * measurement is no longer reported then.
 *
 * <p>Thread-safe: {@link #ping} may be called from any thread while {@link #serve} runs on its own.
 */
public final class LatencyProber implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LatencyProber.class);
  private static final Duration RECEIVE_SLICE = Duration.ofMillis(200);

  private final PartyDatagramSocket socket;
  private final int probePort;
  private final LongSupplier nanoClock;
  private final AtomicLong nextSeq = new AtomicLong();
  private final Map<String, Double> latestMs = new ConcurrentHashMap<>();
  /** When each member last answered, on {@link #nanoClock}. */
  private final Map<String, Long> lastAnswerNanos = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * @param socket bound to {@code probePort} on the local virtual IP
   * @param probePort the port every member's prober listens on
   * @param nanoClock monotonic time in nanoseconds ({@code System::nanoTime} outside tests)
   */
  public LatencyProber(PartyDatagramSocket socket, int probePort, LongSupplier nanoClock) {
    this.socket = Objects.requireNonNull(socket, "socket");
    this.probePort = probePort;
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
  }

  /** Sends one ping to the member at {@code virtualIp}; its answer updates {@link #latencyMs}. */
  public void ping(String virtualIp) {
    ProbeMessage ping = new ProbeMessage(false, nextSeq.incrementAndGet(), nanoClock.getAsLong());
    try {
      socket.send(virtualIp, probePort, ping.encode());
    } catch (IOException e) {
      LOG.debug("latency ping to {} not sent: {}", virtualIp, e.toString());
    }
  }

  /** The latest measured round trip to {@code virtualIp}, in milliseconds. */
  public Optional<Double> latencyMs(String virtualIp) {
    return Optional.ofNullable(latestMs.get(virtualIp));
  }

  /**
   * Whether the member at {@code virtualIp} answered pings before but not for longer than
   * {@code limit}. A member that never answered (no prober on its side) is never silent: nothing
   * is known about it here.
   */
  public boolean silentFor(String virtualIp, Duration limit) {
    Long last = lastAnswerNanos.get(virtualIp);
    return last != null && nanoClock.getAsLong() - last > limit.toNanos();
  }

  public void forget(String virtualIp) {
    latestMs.remove(virtualIp);
    lastAnswerNanos.remove(virtualIp);
  }

  /** Answers pings and records pongs until {@link #close()}; run it on a dedicated thread. */
  public void serve() {
    while (!closed) {
      try {
        PartyDatagram datagram = socket.receive(RECEIVE_SLICE);
        if (datagram != null) {
          handle(datagram);
        }
      } catch (IOException e) {
        if (!closed) {
          LOG.debug("latency probe socket: {}", e.toString());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  void handle(PartyDatagram datagram) throws IOException {
    Optional<ProbeMessage> decoded = ProbeMessage.decode(datagram.payload());
    if (decoded.isEmpty()) {
      return;
    }
    ProbeMessage message = decoded.get();
    if (!message.pong()) {
      socket.send(datagram.sourceIp(), datagram.sourcePort(), message.answer().encode());
      return;
    }
    long now = nanoClock.getAsLong();
    long rttNanos = now - message.sentNanos();
    if (rttNanos >= 0 && message.seq() <= nextSeq.get()) {
      latestMs.put(datagram.sourceIp(), rttNanos / 1e6);
      lastAnswerNanos.put(datagram.sourceIp(), now);
    }
  }

  @Override
  public void close() {
    closed = true;
    socket.close();
  }
}
