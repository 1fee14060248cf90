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
 * <p>Thread-safe: any thread may call any method. Operations are asynchronous and complete with a
 * {@link PartyException} subclass on failure; each has the configured request timeout. Futures
 * complete on the manager's own threads, and listeners run on its single event thread: an
 * application with a UI hands results over to its UI thread (see {@code docs/launcher-guide.md}).
 * {@link #close()} leaves nothing running and flushes persisted state, but does not leave the
 * party: a restarted manager resumes it.
 */
public interface PartyManager extends AutoCloseable {

  /**
   * Creates a party hosted by the local member and joins it.
   *
   * @param partyName the party's display name, 1..64 characters
   * @return the party, whose {@link Party#id()} is the invite code to share; fails with
   *     {@code ALREADY_IN_PARTY}, {@link ControlPlaneUnavailableException} or
   *     {@link BackendUnavailableException}
   */
  CompletableFuture<Party> create(String partyName);

  /**
   * Joins a party.
   *
   * @param inviteCode the invite code as typed: case, spaces and dashes do not matter
   * @param peerName the display name the other members see, 1..32 characters
   * @return the party; fails with {@link InvalidInviteCodeException} (before any network traffic),
   *     {@link PartyNotFoundException}, {@link PartyFullException}, {@code ALREADY_IN_PARTY},
   *     {@link ControlPlaneUnavailableException} or {@link BackendUnavailableException}
   */
  CompletableFuture<Party> join(String inviteCode, String peerName);

  /**
   * The current party with each member's measured latency, connection type and NAT type. Reads
   * local state and WireGuard's counters only, so polling it once a second is cheap.
   *
   * @return the snapshot; fails with {@code NOT_IN_PARTY} when there is no current party
   */
  CompletableFuture<PartyStatus> status();

  /**
   * Leaves the current party; the host leaving disbands it for everyone.
   *
   * @return completes once left (locally it always succeeds; an unreachable control plane drops
   *     the member after its stale timeout); fails with {@code NOT_IN_PARTY}
   */
  CompletableFuture<Void> leave();

  /**
   * Removes a member from the party; only the host may do this.
   *
   * @param peerId the member's id
   * @return completes once removed; fails with {@link NotHostException} or {@code PEER_NOT_FOUND}
   */
  CompletableFuture<Void> kick(String peerId);

  /**
   * Sends one probe through the tunnel to member {@code peerId} and measures its round trip, the
   * way the link quality is measured ({@link LinkQuality}), on every backend. The probe is a
   * 21-byte UDP datagram to the member's probe port ({@code party.probe-port}); the member's SDK
   * answers it.
   *
   * @param peerId the member's id (see {@link #status()} or {@link Party#peers()})
   * @param timeout how long to wait for the answer
   * @return the round trip in milliseconds; fails with {@code TIMEOUT} when no answer came in
   *     {@code timeout}, {@code PEER_NOT_FOUND} for an unknown member, {@code NOT_IN_PARTY}, or
   *     {@code BACKEND_UNAVAILABLE} when the network is off
   */
  default CompletableFuture<Double> ping(String peerId, java.time.Duration timeout) {
    return CompletableFuture.failedFuture(PartyException.of(PartyException.Reason.BACKEND_UNAVAILABLE,
        "this PartyManager implementation cannot ping members"));
  }

  /**
   * Issues a new invite code for the current party; only the host may. The code admits members
   * until it expires, is used up or is {@linkplain #revokeInvite revoked}, whichever comes first;
   * joining with it afterwards fails with {@link InviteExpiredException}, {@link InviteUsedUpException}
   * or {@link InviteRevokedException}. The party's own id is its first invite, valid until the host
   * revokes it. A member the host kicked cannot come back with any code (a kick lasts for the
   * party's life).
   *
   * @param options the code's time and use limits
   * @return the new invite; fails with {@link NotHostException}, {@code NOT_IN_PARTY}, or
   *     {@code INVALID_ARGUMENT} when the party has too many live invites
   */
  CompletableFuture<Invite> createInvite(InviteOptions options);

  /**
   * Revokes an invite code of the current party, or the party's own id (its first invite), so
   * it admits nobody any more; only the host may. Members already in the party stay, and a member
   * that was in it may still resume with the party id after a restart. Revoking twice is fine.
   *
   * @param code the invite code (or the party id)
   * @return completes once revoked; fails with {@link NotHostException}, {@code NOT_IN_PARTY},
   *     {@link InvalidInviteCodeException} or {@link PartyNotFoundException} for a code of another party
   */
  CompletableFuture<Void> revokeInvite(String code);

  /**
   * A UDP socket on the party network, when the backend runs WireGuard in user space (embedded).
   * With a kernel or TUN backend use an ordinary {@link java.net.DatagramSocket} bound to the
   * virtual IP instead.
   *
   * @param port the UDP port on the local virtual IP, 0 for any free one
   * @return the socket; close it when done
   * @throws java.io.IOException when the port is taken
   * @throws BackendUnavailableException when the backend has no user-space network
   * @throws PartyException with reason NOT_IN_PARTY when there is no current party
   */
  PartyDatagramSocket openDatagramSocket(int port) throws java.io.IOException;

  /**
   * Forwards a loopback UDP port to a peer's {@code virtualIp:port}, for games that cannot be told
   * to use {@link #openDatagramSocket}; needs a user-space backend like {@link #openDatagramSocket}.
   *
   * @param loopbackPort the port on 127.0.0.1 the game sends to, 0 for any free one
   * @param virtualIp the member's virtual IP
   * @param port the member's UDP port
   * @return the forward; close it to stop
   * @throws java.io.IOException when the loopback port is taken
   * @throws BackendUnavailableException when the backend has no user-space network
   */
  PortForward forwardUdp(int loopbackPort, String virtualIp, int port) throws java.io.IOException;

  /**
   * The party network, the same on every backend: expose a local server on this member's virtual
   * IP (hosting a game), forward a loopback port to a peer (joining one), TCP and UDP sockets.
   *
   * @return the party network of the active backend
   * @throws BackendUnavailableException when the active backend does not offer it (network off,
   *     or a backend that has no implementation yet)
   * @throws PartyException with reason NOT_IN_PARTY when there is no current party
   */
  default io.partynet.spi.PartyNetwork network() {
    throw new BackendUnavailableException("this PartyManager implementation offers no party network");
  }

  /**
   * Starts a local SOCKS5 proxy onto the party network (RFC 1928, CONNECT, no authentication):
   * point a game's or a browser's SOCKS5 setting at its {@link SocksProxy#localAddress()} and it
   * reaches peers at {@code virtualIp:port}. Every connection uses the party network of the
   * moment (see {@link #network()}), so the proxy outlives a change of party; while there is
   * none, clients get the reply "network unreachable".
   *
   * @param loopbackPort the port on 127.0.0.1 to listen on, or 0 for any free port
   * @return the running proxy; close it to stop
   * @throws java.io.IOException when the loopback port cannot be bound
   * @throws BackendUnavailableException when the active backend offers no party network
   * @throws PartyException with reason NOT_IN_PARTY when there is no current party
   */
  default SocksProxy socksProxy(int loopbackPort) throws java.io.IOException {
    throw new BackendUnavailableException("this PartyManager implementation offers no SOCKS5 proxy");
  }

  /**
   * The party the local member is in, if any; a resumed party is present right after
   * {@link Builder#build()}.
   *
   * @return the party, or empty
   */
  Optional<Party> currentParty();

  /**
   * The local member's id.
   *
   * @return an id that stays the same across restarts of the same home directory
   */
  String myPeerId();

  /**
   * The NAT class found by the latest detection, which runs on create, join and resume.
   *
   * @return the class; {@link NatType#UNKNOWN} before the first detection, when it failed, or
   *     when no STUN server is configured
   */
  NatType natType();

  /**
   * Whether the control plane of the member's party answers now; changes are reported through
   * {@link PartyListener#onControlPlaneState}.
   *
   * @return {@link ControlPlaneState#RECONNECTING} while it cannot be reached (a persisted party
   *     is kept meanwhile), else {@link ControlPlaneState#CONNECTED}
   */
  default ControlPlaneState controlPlaneState() {
    return ControlPlaneState.CONNECTED;
  }

  /**
   * The LAN discovery relay's counters for the current party (see docs/lan-discovery.md).
   *
   * @return the counters; empty when not in a party or when the implementation has no relay
   */
  default Optional<DiscoveryStats> discoveryStats() {
    return Optional.empty();
  }

  /**
   * Adds a listener; it hears events from now on, on the manager's event thread.
   *
   * @param listener the listener
   */
  void addListener(PartyListener listener);

  /**
   * Removes a listener added before.
   *
   * @param listener the listener
   */
  void removeListener(PartyListener listener);

  /**
   * Stops background work and flushes state; does not leave the party. A {@link #leave()} called
   * just before is still delivered: close waits for the control plane to take it, at most the
   * request timeout.
   */
  @Override
  void close();

  /**
   * Starts wiring a manager.
   *
   * @return a new builder
   */
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

    /**
     * The home directory holding the settings database, keys and state.
     *
     * @param home the directory; default {@code ~/.partynet}
     * @return this builder
     */
    public Builder home(Path home) { this.home = home; return this; }

    /**
     * Uses this configuration instead of loading it from the settings database.
     *
     * @param config the configuration
     * @return this builder
     */
    public Builder config(PartyConfig config) { this.config = config; return this; }

    /**
     * Uses this control plane instead of the one {@code control.mode} names.
     *
     * @param controlPlane the control plane; the manager closes it
     * @return this builder
     */
    public Builder controlPlane(ControlPlane controlPlane) { this.controlPlane = controlPlane; return this; }

    /**
     * Persists state here instead of in {@code state.json} in the home directory.
     *
     * @param statePersister the persister; the manager closes it
     * @return this builder
     */
    public Builder statePersister(StatePersister statePersister) { this.statePersister = statePersister; return this; }

    /**
     * Uses this network backend instead of the one {@code network.backend} names.
     *
     * @param networkBackend the backend; the manager closes it
     * @return this builder
     */
    public Builder networkBackend(NetworkBackend networkBackend) { this.networkBackend = networkBackend; return this; }

    /**
     * Uses this NAT detector instead of STUN with the configured servers.
     *
     * @param natDetector the detector
     * @return this builder
     */
    public Builder natDetector(NatDetector natDetector) { this.natDetector = natDetector; return this; }

    /**
     * The clock for timestamps, heartbeats and timeouts; tests pass a controllable one.
     *
     * @param clock the clock; default the system clock in UTC
     * @return this builder
     */
    public Builder clock(Clock clock) { this.clock = clock; return this; }

    /**
     * Adds a listener that hears events from the start, including those of a resume.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(PartyListener listener) { this.listeners.add(listener); return this; }

    /**
     * Uses this SDK implementation instead of discovering one (which takes the class named by the
     * system property {@code partynet.factory}, else the one {@link ServiceLoader} finds); see
     * {@code docs/providers.md}.
     *
     * @param factory the implementation's factory
     * @return this builder
     */
    public Builder factory(PartyManagerFactory factory) { this.factory = factory; return this; }

    /**
     * Builds the manager and resumes any persisted party. The SDK implementation is the one given
     * to {@link #factory}, else the class the system property {@code partynet.factory} names, else
     * the one {@link ServiceLoader} discovers: an implementation that cannot be loaded is logged and
     * skipped, and several draw a warning naming the one used (see {@code docs/providers.md}).
     *
     * @return the manager, ready to create or join (or resuming the persisted party)
     * @throws BackendUnavailableException when no implementation of the SDK (party-core) can be
     *     found or made, or the configured backend or control plane cannot be found
     */
    public PartyManager build() {
      return Implementations.find(factory).create(new ManagerComponents(home, config, controlPlane, statePersister,
          networkBackend, natDetector, clock, List.copyOf(listeners)));
    }
  }
}
