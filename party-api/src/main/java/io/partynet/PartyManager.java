package io.partynet;

import io.partynet.spi.ControlPlane;
import io.partynet.spi.ManagerComponents;
import io.partynet.spi.NatDetector;
import io.partynet.spi.NetworkBackend;
import io.partynet.spi.PartyManagerFactory;
import io.partynet.spi.StatePersister;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;

/**
 * The facade an application uses: create or join one party at a time, watch it, leave it.
 *
 * <pre>{@code
 * try (PartyManager manager = PartyManager.builder().home(Path.of("/tmp/alice")).build()) {
 *   Party party = manager.create("Friday night").get(30, TimeUnit.SECONDS);
 *   System.out.println("invite code: " + party.id());
 * }
 * }</pre>
 *
 * <p>Thread-safe. Operations are asynchronous and complete with a {@link PartyException} subclass
 * on failure; each has the configured request timeout. {@link #close()} leaves nothing running
 * and flushes persisted state, but does not leave the party: a restarted manager resumes it.
 */
public interface PartyManager extends AutoCloseable {

  /** Creates a party hosted by the local member and joins it. */
  CompletableFuture<Party> create(String partyName);

  /** Joins the party with invite code {@code inviteCode} under the display name {@code peerName}. */
  CompletableFuture<Party> join(String inviteCode, String peerName);

  /** The current party with each member's measured latency, connection type and NAT type. */
  CompletableFuture<PartyStatus> status();

  /** Leaves the current party; the host leaving disbands it for everyone. */
  CompletableFuture<Void> leave();

  /** Removes {@code peerId} from the party; only the host may do this. */
  CompletableFuture<Void> kick(String peerId);

  /**
   * A UDP socket on the party network, when the backend runs WireGuard in user space (embedded).
   * With a kernel or TUN backend use an ordinary {@link java.net.DatagramSocket} bound to the
   * virtual IP instead.
   *
   * @throws BackendUnavailableException when the backend has no user-space network
   * @throws PartyException with reason NOT_IN_PARTY when there is no current party
   */
  PartyDatagramSocket openDatagramSocket(int port) throws java.io.IOException;

  /**
   * Forwards a loopback UDP port to a peer's {@code virtualIp:port}, for games that cannot be told
   * to use {@link #openDatagramSocket}; needs a user-space backend like {@link #openDatagramSocket}.
   */
  PortForward forwardUdp(int loopbackPort, String virtualIp, int port) throws java.io.IOException;

  /** The party the local member is in, if any. */
  Optional<Party> currentParty();

  /** The local member's id (stable across restarts of the same home directory). */
  String myPeerId();

  /** The NAT class detected at start ({@link NatType#UNKNOWN} when detection failed or is off). */
  NatType natType();

  void addListener(PartyListener listener);

  void removeListener(PartyListener listener);

  /** Stops background work and flushes state; does not leave the party. */
  @Override
  void close();

  static Builder builder() {
    return new Builder();
  }

  /**
   * Wires a manager. Anything not set is found from the configuration: the control plane, network
   * backend and NAT detector through {@link ServiceLoader}, the configuration itself from the
   * settings database in {@link #home(Path)}. Not thread-safe.
   */
  final class Builder {
    private Path home;
    private PartyConfig config;
    private ControlPlane controlPlane;
    private StatePersister statePersister;
    private NetworkBackend networkBackend;
    private NatDetector natDetector;
    private Clock clock = Clock.systemUTC();
    private PartyManagerFactory factory;
    private final List<PartyListener> listeners = new ArrayList<>();

    Builder() {}

    /** Home directory holding the settings database, keys and state; default {@code ~/.partynet}. */
    public Builder home(Path home) { this.home = home; return this; }
    /** Uses this configuration instead of loading it from the settings database. */
    public Builder config(PartyConfig config) { this.config = config; return this; }
    public Builder controlPlane(ControlPlane controlPlane) { this.controlPlane = controlPlane; return this; }
    public Builder statePersister(StatePersister statePersister) { this.statePersister = statePersister; return this; }
    public Builder networkBackend(NetworkBackend networkBackend) { this.networkBackend = networkBackend; return this; }
    public Builder natDetector(NatDetector natDetector) { this.natDetector = natDetector; return this; }
    /** The clock for timestamps, heartbeats and timeouts; tests pass a controllable one. */
    public Builder clock(Clock clock) { this.clock = clock; return this; }
    public Builder listener(PartyListener listener) { this.listeners.add(listener); return this; }
    /**
     * Uses this SDK implementation instead of discovering one (which takes the class named by the
     * system property {@code partynet.factory}, else the one {@link ServiceLoader} finds); see
     * {@code docs/providers.md}.
     */
    public Builder factory(PartyManagerFactory factory) { this.factory = factory; return this; }

    /**
     * Builds the manager and resumes any persisted party. The SDK implementation is the one given
     * to {@link #factory}, else the class the system property {@code partynet.factory} names, else
     * the one {@link ServiceLoader} discovers: an implementation that cannot be loaded is logged and
     * skipped, and several draw a warning naming the one used (see {@code docs/providers.md}).
     *
     * @throws BackendUnavailableException when no implementation of the SDK (party-core) can be
     *     found or made, or the configured backend or control plane cannot be found
     */
    public PartyManager build() {
      return Implementations.find(factory).create(new ManagerComponents(home, config, controlPlane, statePersister,
          networkBackend, natDetector, clock, List.copyOf(listeners)));
    }
  }
}
