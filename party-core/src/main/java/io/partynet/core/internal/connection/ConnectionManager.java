package io.partynet.core.internal.connection;

import io.partynet.ConnectionType;
import io.partynet.Endpoint;
import io.partynet.Key;
import io.partynet.NatType;
import io.partynet.PathCandidate;
import io.partynet.Peer;
import io.partynet.spi.Backoff;
import io.partynet.spi.PeerStats;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses and keeps a path to every member (design.md section 5): direct where the seed's matrix
 * guarantees it, a punch coordinated through the control plane where it may work, the TURN relay
 * otherwise; watches each link through WireGuard's own statistics ({@link PeerLink}) and re-runs
 * the plan with capped backoff when a link dies, for as long as the member is tracked: a link is
 * never abandoned while its peer is in the party.
 *
 * <p>What a link decides is carried out by a {@link PathDriver} (WireGuard's endpoint, the relay,
 * punch signals, the listener).
 *
 * <p>Not thread-safe: the party manager calls it from its single worker thread.
 */
public final class ConnectionManager {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionManager.class);
  /**
   * How long a link that came up on the relay while a NAT type was still unknown waits for the
   * background classification before it checks the direct path anyway: the types usually rule a
   * direct path out within about ten seconds, and each failed check costs the pair its traffic for
   * a moment ({@link UpgradeSettings#checkWindow()}).
   */
  static final Duration CLASSIFICATION_GRACE = Duration.ofSeconds(15);

  /** How the manager's data plane is driven. */
  public interface DataPath {
    /** Adds or updates the WireGuard peer for {@code peer}, sending to {@code endpoint} (null: none). */
    void configure(Peer peer, Endpoint endpoint);

    /**
     * Like {@link #configure}, but starts the peer afresh, so its first handshake goes to
     * {@code endpoint} at once instead of after WireGuard's 5 s handshake retry timer.
     */
    default void restart(Peer peer, Endpoint endpoint) {
      configure(peer, endpoint);
    }
  }

  /** TURN relay paths; absent when no relay is configured. */
  public interface Relay {
    /**
     * Opens (or returns) the loopback endpoint WireGuard uses for {@code peer} through the relay.
     * Throws while the path is not ready yet; the relay then calls for {@link #relayReady} when it is.
     */
    Endpoint open(Peer peer) throws IOException;

    void close(Peer peer);
  }

  /** Tells the other member to punch now, through the control plane. */
  public interface PunchSignal {
    void send(Peer peer);
  }

  /** Hears about connection changes. */
  public interface Listener {
    void onConnectionChanged(Peer peer, ConnectionType type);
  }

  private final Relay relay;
  private final PathDriver driver;
  private final LinkSettings settings;
  private final UpgradeSettings upgrades;
  private final Backoff backoff;
  private final Clock clock;
  private final Map<String, TrackedLink> links = new HashMap<>();
  private NatType myNatType = NatType.UNKNOWN;
  private Endpoint myEndpoint;
  private List<HostCandidates.LocalAddress> myAddresses = List.of();
  /** Each member's host candidates, as its last candidates signal listed them. */
  private final Map<String, List<Endpoint>> hostCandidates = new HashMap<>();
  /** Members whose relay path is ready (the relay said so), kept across re-plans of their link. */
  private final Set<String> relayReadyFor = new HashSet<>();

  public ConnectionManager(DataPath dataPath, Optional<Relay> relay, PunchSignal punchSignal, Listener listener,
      LinkSettings settings, UpgradeSettings upgrades, Backoff backoff, Clock clock) {
    this.relay = relay.orElse(null);
    this.settings = Objects.requireNonNull(settings, "settings");
    this.upgrades = Objects.requireNonNull(upgrades, "upgrades");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.driver = new PathDriver(Objects.requireNonNull(dataPath, "dataPath"), this.relay,
        Objects.requireNonNull(punchSignal, "punchSignal"), Objects.requireNonNull(listener, "listener"), clock);
  }

  /**
   * The local member's NAT class and public endpoint. Links still looking for a path start again
   * when the plan they would get now differs (the NAT type learnt after the join: a symmetric
   * member goes to the relay at once instead of waiting out a punch that cannot work); working
   * links stay.
   */
  public void setLocal(NatType natType, Endpoint endpoint) {
    myNatType = Objects.requireNonNull(natType, "natType");
    myEndpoint = endpoint;
    for (TrackedLink tracked : List.copyOf(links.values())) {
      if (tracked.link.state() != PeerLink.State.UP) {
        HostCandidates.Choice choice = choose(tracked.peer);
        if (!planFor(tracked.peer, choice).equals(tracked.plan)) {
          start(tracked.peer, choice, false);
        }
      }
    }
  }

  /** Our own addresses, against which a member's host candidates are chosen. */
  public void setLocalAddresses(List<HostCandidates.LocalAddress> addresses) {
    myAddresses = List.copyOf(addresses);
  }

  /**
   * Member {@code peerId}'s host candidates arrived. A link that is not up yet, or up only through
   * the relay (which a punch gives way to quickly), starts again on the best of them (same LAN,
   * else global IPv6) when that is a path it did not have; a link working otherwise stays as it is.
   */
  public void hostCandidates(String peerId, List<Endpoint> hosts) {
    hostCandidates.put(peerId, List.copyOf(hosts));
    TrackedLink tracked = links.get(peerId);
    if (tracked == null || tracked.link.state() == PeerLink.State.UP && tracked.link.path() != PathKind.RELAY) {
      return;
    }
    HostCandidates.Choice choice = choose(tracked.peer);
    if (choice == null || choice.equals(tracked.choice)) {
      return;
    }
    start(tracked.peer, choice, true);
  }

  /**
   * Starts (or restarts, when its endpoint or NAT type changed) connecting to {@code peer}. Both
   * members do this the moment they learn of each other, which is what punches the hole.
   */
  public void track(Peer peer) {
    TrackedLink existing = links.get(peer.id());
    boolean sameEndpoint = existing != null && Objects.equals(existing.peer.endpoint(), peer.endpoint());
    // A NAT type learnt late changes no working link: only a link still looking for a path re-plans.
    if (sameEndpoint && (existing.peer.natType() == peer.natType() || existing.link.state() == PeerLink.State.UP)) {
      existing.peer = peer;
      return;
    }
    start(peer, choose(peer), false);
  }

  private HostCandidates.Choice choose(Peer peer) {
    List<Endpoint> hosts = hostCandidates.getOrDefault(peer.id(), List.of());
    return HostCandidates.choose(myAddresses, myEndpoint, hosts, peer.endpoint()).orElse(null);
  }

  private List<PathKind> planFor(Peer peer, HostCandidates.Choice choice) {
    List<PathKind> plan = new ArrayList<>(4);
    if (choice != null) {
      plan.add(choice.path());
    }
    plan.addAll(ConnectionStrategy.plan(myNatType, peer.natType(), myEndpoint != null,
        peer.endpoint() != null, relay != null));
    return List.copyOf(plan);
  }

  private void start(Peer peer, HostCandidates.Choice choice, boolean afresh) {
    List<PathKind> plan = planFor(peer, choice);
    PeerLink link = new PeerLink(plan, settings, backoff, clock.instant());
    TrackedLink previous = links.get(peer.id());
    TrackedLink tracked = new TrackedLink(peer, link, plan, choice, upgrades, clock.instant());
    tracked.lastStats = previous == null ? null : previous.lastStats;
    links.put(peer.id(), tracked);
    LOG.info("connecting to {} ({}, {}): plan {}{}", peer.name(), peer.id(), peer.natType(), plan,
        choice == null ? "" : " (" + choice.path() + " " + choice.endpoint() + ")");
    if (relayReadyFor.contains(peer.id())) {
      link.relayReady();
    }
    if (link.initialPath() == null) {
      // Nothing to aim at: WireGuard still knows the peer, and learns its endpoint if it calls first.
      driver.useNone(tracked);
    } else if (afresh && choice != null) {
      driver.restartOn(tracked, choice.endpoint());
    } else {
      driver.use(tracked, link.initialPath());
    }
    if (plan.size() > 1 && plan.contains(PathKind.RELAY)) {
      prepareRelay(tracked);
    }
  }

  /**
   * Readies the relay path of a link that starts elsewhere (TURN allocation, relayed addresses
   * exchanged, channel bound) while the other paths are tried, so that a pair that cannot go
   * direct is carried by the relay as soon as both relayed addresses are known ({@link #relayReady}).
   */
  private void prepareRelay(TrackedLink tracked) {
    // Not ready is the usual case: the relay calls relayReady() once the path is there.
    if (driver.openRelay(tracked, "being prepared")) {
      relayReadyFor.add(tracked.peer.id());
      tracked.link.relayReady();
    }
  }

  /**
   * The other member asked to punch: point WireGuard at it again now, so both sides send at once.
   * On a relayed link this is the peer checking the direct path ({@link PathUpgrade}): join the check.
   */
  public void punchRequested(String peerId) {
    TrackedLink tracked = links.get(peerId);
    if (tracked == null) {
      return;
    }
    if (tracked.link.path() == PathKind.PUNCH) {
      driver.punchBack(tracked);
    } else if (tracked.upgrade != null) {
      driver.act(tracked, tracked.upgrade.peerChecks(clock.instant()));
    }
  }

  /**
   * The relay path to {@code peerId} became usable: configure it now if the link is on the relay,
   * instead of waiting for the next attempt; a link still punching moves to it at a tick once the
   * punch has had its head start ({@link PeerLink#relayReady}). Either way the forwarder is
   * remembered, so a link that comes up through it is reported as relayed.
   */
  public void relayReady(String peerId) {
    TrackedLink tracked = links.get(peerId);
    if (tracked == null) {
      return;
    }
    relayReadyFor.add(peerId);
    tracked.link.relayReady();
    if (tracked.link.path() == PathKind.RELAY) {
      driver.use(tracked, PathKind.RELAY);
      return;
    }
    driver.openRelay(tracked, "not ready after all");
  }

  public void untrack(String peerId) {
    TrackedLink tracked = links.remove(peerId);
    hostCandidates.remove(peerId);
    relayReadyFor.remove(peerId);
    if (tracked != null && relay != null) {
      relay.close(tracked.peer);
    }
  }

  /**
   * Feeds WireGuard's latest statistics (by public key; the caller reads them once per tick and
   * may use them for more than this) to every link and acts on what they decide.
   */
  public void tick(Map<Key, PeerStats> stats) {
    for (TrackedLink tracked : List.copyOf(links.values())) {
      PeerStats s = stats.get(Key.fromBase64(tracked.peer.publicKey()));
      tracked.lastStats = s;
      PeerLink.Step step = tracked.link.observe(s, clock.instant());
      driver.use(tracked, step.configurePath());
      if (step.changed() && step.state() == PeerLink.State.UP && throughRelay(tracked, s)) {
        // The other side moved to the relay first: WireGuard roamed to the forwarder with its handshake.
        tracked.link.switchTo(PathKind.RELAY);
      }
      if (step.changed()) {
        driver.report(tracked);
      }
      if (tracked.upgrade != null) {
        boolean up = tracked.link.state() == PeerLink.State.UP;
        boolean checkable = up && tracked.link.path() == PathKind.RELAY && directStillPossible(tracked)
            && !classificationPending(tracked);
        driver.act(tracked, tracked.upgrade.observe(checkable, up && tracked.upgrade.upgraded(), s, tracked.forwarder,
            clock.instant()));
      }
    }
  }

  /**
   * Whether the plan that both NAT types give now still has a path before the relay: a link that
   * came up on the relay while a NAT type was unknown stops checking once the types say that only
   * the relay can work (each failed check costs the pair its traffic for a moment).
   */
  private boolean directStillPossible(TrackedLink tracked) {
    List<PathKind> now = planFor(tracked.peer, tracked.choice);
    return !now.isEmpty() && now.get(0) != PathKind.RELAY;
  }

  /** WireGuard sends to the peer's relay forwarder: its packets come through the relay. */
  private static boolean throughRelay(TrackedLink tracked, PeerStats stats) {
    return tracked.forwarder != null && stats != null && tracked.forwarder.equals(stats.endpoint());
  }

  /** A NAT type is still being learnt, and not for longer than {@link #CLASSIFICATION_GRACE}. */
  private boolean classificationPending(TrackedLink tracked) {
    boolean unknown = myNatType == NatType.UNKNOWN || tracked.peer.natType() == NatType.UNKNOWN;
    return unknown && clock.instant().isBefore(tracked.started.plus(CLASSIFICATION_GRACE));
  }

  /** The path the link to {@code peerId} uses or tries, or empty. */
  public Optional<PathKind> path(String peerId) {
    TrackedLink tracked = links.get(peerId);
    return tracked == null ? Optional.empty() : Optional.ofNullable(tracked.link.path());
  }

  /**
   * The paths to {@code peerId} in the order its plan tries them, with the endpoint each aims at;
   * empty when the peer is not tracked or nothing can be tried yet.
   */
  public List<PathCandidate> candidates(String peerId) {
    TrackedLink tracked = links.get(peerId);
    return tracked == null ? List.of() : tracked.candidates();
  }

  public ConnectionType connectionType(String peerId) {
    TrackedLink tracked = links.get(peerId);
    return tracked == null ? ConnectionType.NONE : tracked.link.reported();
  }

  /** Closes every relay path. */
  public void clear() {
    for (String peerId : List.copyOf(links.keySet())) {
      untrack(peerId);
    }
  }
}
