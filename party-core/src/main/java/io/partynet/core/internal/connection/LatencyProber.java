package io.partynet.core.internal.connection;

import io.partynet.PartyDatagram;
import io.partynet.PartyDatagramSocket;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The probe transport through the tunnel itself: every member answers probe pings on the probe
 * port of its virtual IP, and pings the others on request, handing each answer (pong) to a
 * {@link Pongs} receiver, which keeps the books (the link-quality monitor). Works over any
 * {@link PartyDatagramSocket}: the embedded backend's user-space sockets, or an operating-system
 * socket bound to the virtual IP for kernel and TUN backends.
 *
 * <p>Thread-safe: {@link #ping} may be called from any thread while {@link #serve} runs on its own.
 */
public final class LatencyProber implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LatencyProber.class);
  private static final Duration RECEIVE_SLICE = Duration.ofMillis(200);

  private final PartyDatagramSocket socket;
  private final int probePort;
  private final LongSupplier nanoClock;
  private final Pongs pongs;
  private final AtomicLong nextSeq = new AtomicLong();
  private volatile boolean closed;

  /** Receives the answers to this prober's pings, on the serving thread. */
  @FunctionalInterface
  public interface Pongs {
    /**
     * The answer to ping {@code seq} came from {@code sourceIp} at {@code receivedNanos}; the
     * receiver checks that it sent that ping to that address (anyone may send a datagram).
     */
    void pong(String sourceIp, long seq, long receivedNanos);
  }

  /**
   * @param socket bound to {@code probePort} on the local virtual IP
   * @param probePort the port every member's prober listens on
   * @param nanoClock monotonic time in nanoseconds ({@code System::nanoTime} outside tests)
   * @param pongs told of every well-formed answer
   */
  public LatencyProber(PartyDatagramSocket socket, int probePort, LongSupplier nanoClock, Pongs pongs) {
    this.socket = Objects.requireNonNull(socket, "socket");
    this.probePort = probePort;
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    this.pongs = Objects.requireNonNull(pongs, "pongs");
  }

  /** The sequence number the next {@link #ping} will carry, so its sender can record it first. */
  public long nextSeq() {
    return nextSeq.incrementAndGet();
  }

  /**
   * Sends ping {@code seq} (from {@link #nextSeq}) to the member at {@code virtualIp}.
   *
   * @return false when the datagram could not be sent
   */
  public boolean ping(String virtualIp, long seq) {
    ProbeMessage ping = new ProbeMessage(false, seq, nanoClock.getAsLong());
    try {
      socket.send(virtualIp, probePort, ping.encode());
      return true;
    } catch (IOException e) {
      LOG.debug("latency ping to {} not sent: {}", virtualIp, e.toString());
      return false;
    }
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
    if (message.seq() > 0 && message.seq() <= nextSeq.get()) {
      pongs.pong(datagram.sourceIp(), message.seq(), nanoClock.getAsLong());
    }
  }

  @Override
  public void close() {
    closed = true;
    socket.close();
  }
}
