package io.partynet.core.internal.quality;

import io.partynet.ConnectionType;
import io.partynet.LinkQuality;
import io.partynet.PartyDatagramSocket;
import io.partynet.PartyException;
import io.partynet.core.internal.connection.LatencyProber;
import io.partynet.core.internal.connection.OsDatagramSocket;
import io.partynet.spi.UserspaceNetwork;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures the link quality to every tracked member: a probe to each every
 * {@code link.probe-interval} through the {@link LatencyProber}, its answer (matched by sequence
 * number and source address, timed with this member's own clock) or its timeout entered into the
 * member's {@link QualityWindow}, and {@link #reportable} telling which members' figures changed
 * enough to report ({@link ChangeFilter}). One-off {@link #ping}s ({@code party ping}) use the same
 * probes without entering the window.
 *
 * <p>Thread-safe: the probing thread, the prober's receiving thread, the manager's worker (track,
 * reportable) and any caller of {@link #ping} share the books under this object's lock.
 */
public final class LinkQualityMonitor implements AutoCloseable {
  /** Bounds the one-off pings in flight, so that a flood of ping calls cannot grow the books. */
  static final int MAX_ONE_OFF_PINGS = 256;
  private static final Logger LOG = LoggerFactory.getLogger(LinkQualityMonitor.class);

  private final LatencyProber prober;
  private final QualitySettings settings;
  private final LongSupplier nanoClock;
  private final Clock clock;
  private final Map<String, Link> links = new HashMap<>();
  private final Map<Long, Probe> inFlight = new HashMap<>();
  private int oneOffPings;
  private ScheduledExecutorService probing;
  private Thread receiving;

  /** One tracked member. */
  private static final class Link {
    final String virtualIp;
    final QualityWindow window;
    final ChangeFilter filter;
    /** When the member last answered a probe, on the nano clock; absent until the first answer. */
    OptionalLong lastAnswerNanos = OptionalLong.empty();

    Link(String virtualIp, QualitySettings settings) {
      this.virtualIp = virtualIp;
      this.window = new QualityWindow(settings.window());
      this.filter = new ChangeFilter(settings.eventInterval());
    }
  }

  /** A probe in flight: to a tracked member ({@code peerId}) or a one-off ping ({@code answer}). */
  private record Probe(String peerId, String virtualIp, long sentNanos, long deadlineNanos,
      CompletableFuture<Double> answer) {}

  /** A member whose figures changed enough to tell the listener. */
  public record Report(String peerId, LinkQuality quality) {}

  /** One member as {@link #presence} found it: silent past the limit, or its figures (empty when untracked). */
  public record Presence(boolean silent, Optional<LinkQuality> quality) {
    /** Not tracked here (or nothing measures it): not silent, no figures. */
    public static final Presence UNKNOWN = new Presence(false, Optional.empty());
    static final Presence SILENT = new Presence(true, Optional.empty());
  }

  /**
   * A monitor that sends through {@code proberFactory}'s prober (the factory receives the pong
   * sink); nothing runs until {@link #start()}.
   */
  LinkQualityMonitor(Function<LatencyProber.Pongs, LatencyProber> proberFactory, QualitySettings settings,
      LongSupplier nanoClock, Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.prober = proberFactory.apply(this::pong);
  }

  /**
   * A running monitor on {@code probePort} of the local virtual IP: through the backend's user-space
   * network when it has one (embedded), otherwise through an operating-system socket bound to the
   * virtual IP (kernel and TUN backends, where the interface carries that address).
   *
   * @return empty (logged) when the probe port cannot be opened: nothing is measured then
   */
  public static Optional<LinkQualityMonitor> open(QualitySettings settings, Optional<UserspaceNetwork> userspace,
      String myVirtualIp, int probePort, Clock clock) {
    PartyDatagramSocket socket;
    try {
      socket = userspace.isPresent() ? userspace.get().openDatagramSocket(probePort)
          : OsDatagramSocket.bind(myVirtualIp, probePort);
    } catch (IOException | RuntimeException e) {
      LOG.warn("link quality will not be measured: cannot open the probe port {} on {} ({})", probePort,
          myVirtualIp, e.getMessage());
      return Optional.empty();
    }
    LinkQualityMonitor monitor = new LinkQualityMonitor(
        pongs -> new LatencyProber(socket, probePort, System::nanoTime, pongs), settings, System::nanoTime, clock);
    monitor.start();
    return Optional.of(monitor);
  }

  /** Starts receiving answers and probing every tracked member. */
  void start() {
    receiving = new Thread(prober::serve, "partynet-link-probe-receiver");
    receiving.setDaemon(true);
    receiving.start();
    probing = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "partynet-link-probes");
      t.setDaemon(true);
      return t;
    });
    long interval = settings.probeInterval().toNanos();
    probing.scheduleAtFixedRate(this::probeAll, interval, interval, TimeUnit.NANOSECONDS);
  }

  /** Starts measuring member {@code peerId} at {@code virtualIp} (again, if its address changed). */
  public synchronized void track(String peerId, String virtualIp) {
    Link known = links.get(peerId);
    if (known == null || !known.virtualIp.equals(virtualIp)) {
      links.put(peerId, new Link(virtualIp, settings));
    }
  }

  public synchronized void untrack(String peerId) {
    links.remove(peerId);
  }

  /**
   * What status shows of member {@code peerId}, read under one lock: whether it answered probes
   * before but not for longer than {@code limit} (crashed, or its path died), and otherwise its
   * current figures on {@code path}. A member that never answered (no prober on its side) is never
   * silent: nothing is known about it here.
   */
  public synchronized Presence presence(String peerId, Duration limit, ConnectionType path) {
    Link link = links.get(peerId);
    if (link == null) {
      return Presence.UNKNOWN;
    }
    boolean silent = link.lastAnswerNanos.isPresent()
        && nanoClock.getAsLong() - link.lastAnswerNanos.getAsLong() > limit.toNanos();
    return silent ? Presence.SILENT : new Presence(false, Optional.of(link.window.quality(path, clock.instant())));
  }

  /**
   * The members whose figures changed meaningfully since they were last reported (each member's
   * path from {@code paths}); each is then the reference for its next report.
   */
  public synchronized List<Report> reportable(Function<String, ConnectionType> paths) {
    List<Report> reports = new ArrayList<>();
    for (Map.Entry<String, Link> e : links.entrySet()) {
      LinkQuality now = e.getValue().window.quality(paths.apply(e.getKey()), clock.instant());
      if (e.getValue().filter.offer(now)) {
        reports.add(new Report(e.getKey(), now));
      }
    }
    return reports;
  }

  /**
   * One probe to {@code virtualIp}, outside the measurement window.
   *
   * @return the round trip in milliseconds; fails with TIMEOUT when unanswered within {@code timeout}
   */
  public CompletableFuture<Double> ping(String virtualIp, Duration timeout) {
    CompletableFuture<Double> answer = new CompletableFuture<>();
    long seq;
    synchronized (this) {
      if (oneOffPings >= MAX_ONE_OFF_PINGS) {
        return CompletableFuture.failedFuture(PartyException.of(PartyException.Reason.RATE_LIMITED,
            "too many pings in flight; wait for their answers"));
      }
      oneOffPings++;
      seq = prober.nextSeq();
      long now = nanoClock.getAsLong();
      inFlight.put(seq, new Probe(null, virtualIp, now, now + timeout.toNanos(), answer));
    }
    if (!prober.ping(virtualIp, seq)) {
      settle(seq, PartyException.of(PartyException.Reason.BACKEND_UNAVAILABLE,
          "the probe to " + virtualIp + " could not be sent: is the party network up?"));
    }
    return answer;
  }

  /** Expires what timed out, then sends one probe to every tracked member. Runs on the probing thread. */
  void probeAll() {
    expire(nanoClock.getAsLong());
    Map<Long, String> targets = new HashMap<>();
    synchronized (this) {
      for (Map.Entry<String, Link> e : links.entrySet()) {
        long seq = prober.nextSeq();
        long now = nanoClock.getAsLong();
        inFlight.put(seq, new Probe(e.getKey(), e.getValue().virtualIp, now,
            now + settings.probeTimeout().toNanos(), null));
        targets.put(seq, e.getValue().virtualIp);
      }
    }
    // Sent outside the lock: a send may block briefly, and answers must be recordable meanwhile.
    targets.forEach((seq, virtualIp) -> prober.ping(virtualIp, seq));
  }

  /** Probes past their deadline are lost (tracked) or fail with TIMEOUT (one-off). */
  void expire(long nowNanos) {
    List<Probe> timedOut = new ArrayList<>();
    synchronized (this) {
      for (Iterator<Probe> it = inFlight.values().iterator(); it.hasNext(); ) {
        Probe probe = it.next();
        if (nowNanos - probe.deadlineNanos() >= 0) {
          it.remove();
          if (probe.answer() != null) {
            oneOffPings--;
            timedOut.add(probe);
          } else {
            Link link = links.get(probe.peerId());
            if (link != null && link.virtualIp.equals(probe.virtualIp())) {
              link.window.lost();
            }
          }
        }
      }
    }
    for (Probe probe : timedOut) {
      long waitedMs = TimeUnit.NANOSECONDS.toMillis(probe.deadlineNanos() - probe.sentNanos());
      probe.answer().completeExceptionally(PartyException.of(PartyException.Reason.TIMEOUT,
          "no answer from " + probe.virtualIp() + " within " + waitedMs + " ms: the member may be offline, or "
              + "the tunnel to it is down"));
    }
  }

  /** An answer arrived: timed against our own send time, never the time the datagram carries back. */
  void pong(String sourceIp, long seq, long receivedNanos) {
    Probe probe;
    synchronized (this) {
      probe = inFlight.get(seq);
      if (probe == null || !probe.virtualIp().equals(sourceIp)) {
        return; // late, duplicated, or not from the member we asked
      }
      inFlight.remove(seq);
      if (probe.answer() != null) {
        oneOffPings--;
      } else {
        Link link = links.get(probe.peerId());
        if (link != null && link.virtualIp.equals(sourceIp)) {
          link.window.answered(millis(receivedNanos - probe.sentNanos()));
          link.lastAnswerNanos = OptionalLong.of(receivedNanos);
        }
        return;
      }
    }
    probe.answer().complete(millis(receivedNanos - probe.sentNanos()));
  }

  private void settle(long seq, PartyException failure) {
    Probe probe;
    synchronized (this) {
      probe = inFlight.remove(seq);
      if (probe == null) {
        return;
      }
      oneOffPings--;
    }
    probe.answer().completeExceptionally(failure);
  }

  private static double millis(long nanos) {
    return Math.max(0, nanos) / 1e6;
  }

  /** Stops probing and receiving; pings still in flight fail. */
  @Override
  public void close() {
    if (probing != null) {
      probing.shutdownNow();
    }
    prober.close();
    if (receiving != null) {
      receiving.interrupt();
    }
    List<CompletableFuture<Double>> pending = new ArrayList<>();
    synchronized (this) {
      for (Probe probe : inFlight.values()) {
        if (probe.answer() != null) {
          pending.add(probe.answer());
        }
      }
      inFlight.clear();
      oneOffPings = 0;
    }
    pending.forEach(f -> f.completeExceptionally(PartyException.of(PartyException.Reason.NOT_IN_PARTY,
        "the party's network went down before the answer came")));
  }
}
