package io.partynet.testing;

import io.partynet.Key;
import io.partynet.Party;
import io.partynet.PartyConfig;
import io.partynet.PartyManager;
import io.partynet.Peer;
import io.partynet.spi.ControlPlane;
import io.partynet.spi.NatDetector;
import io.partynet.spi.StatePersister;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that builds party members through the public {@link PartyManager#builder()}
 * on the control plane a {@link ControlPlaneSource} gives, each with its own home directory (real
 * keys, real state file), a {@link FakeNetworkBackend} and a {@link PartyEventRecorder}, all on
 * one {@link ManualClock}. After each test it closes every manager and control plane, newest
 * first, and deletes the homes.
 *
 * <pre>{@code
 * @RegisterExtension final ManagerHarness members = ManagerHarness.on(planes);
 *
 * @Test void bobJoins() throws Exception {
 *   Member alice = members.start("alice");
 *   Member bob = members.start("bob");
 *   Party party = alice.manager().create("lan").get(10, SECONDS);
 *   bob.manager().join(party.id(), "bob").get(10, SECONDS);
 *   alice.events().await("peerJoined bob");
 * }
 * }</pre>
 *
 * <p>Time: timestamps come from the manual clock; heartbeats and the planes' cleanup run on real
 * time. Members heartbeat every {@link #HEARTBEAT}, as the SDK does by default, so a test sees no
 * heartbeat unless it asks for one with {@code config(c -> c.heartbeatInterval(...))} (a fast
 * heartbeat races the plane's events: a member may find its party gone before it hears why). The
 * cleanup runs every {@link #CLEANUP} and removes a member when the test advances the clock past
 * {@link #STALE_TIMEOUT} without it heartbeating; the timeout is long so that tests may move the
 * clock by minutes without losing anybody. Thread-safe.
 */
public final class ManagerHarness implements AfterEachCallback {
  public static final Duration HEARTBEAT = Duration.ofSeconds(10);
  /** A heartbeat for tests that need one: fast, and still slower than the local plane's 200 ms poll. */
  public static final Duration FAST_HEARTBEAT = Duration.ofMillis(300);
  public static final Duration CLEANUP = Duration.ofMillis(100);
  public static final Duration STALE_TIMEOUT = Duration.ofMinutes(10);
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

  private final ControlPlaneSource planes;
  private final ManualClock clock = ManualClock.startingAt("2026-01-02T00:00:00Z");
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private Path root;

  private ManagerHarness(ControlPlaneSource planes) {
    this.planes = Objects.requireNonNull(planes, "planes");
  }

  public static ManagerHarness on(ControlPlaneSource planes) {
    return new ManagerHarness(planes);
  }

  public ManualClock clock() {
    return clock;
  }

  public ControlPlaneSource planes() {
    return planes;
  }

  /** The directory every member's home and the shared discovery file live in. */
  public synchronized Path root() {
    if (root == null) {
      try {
        root = Files.createTempDirectory("partynet-members");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return root;
  }

  /** A config for member {@code name} as the harness starts it; change it with {@link MemberSpec#config}. */
  public PartyConfig config(String name) {
    return PartyConfig.builder()
        .home(root().resolve(name))
        .peerName(name)
        .discoveryFile(root().resolve("discovery.json"))
        .interfaceName("pn-" + name)
        .networkBackend("fake")
        .heartbeatInterval(HEARTBEAT)
        .staleTimeout(STALE_TIMEOUT)
        .cleanupInterval(CLEANUP)
        .persistBatchDelay(Duration.ofMillis(20))
        .requestTimeout(REQUEST_TIMEOUT)
        .build();
  }

  /** Starts member {@code name} with the defaults. */
  public Member start(String name) {
    return member(name).start();
  }

  /** Describes member {@code name}; change what differs from the defaults, then {@link MemberSpec#start()}. */
  public MemberSpec member(String name) {
    return new MemberSpec(name);
  }

  /** Closes something with the members, after them (e.g. a plane the test opened itself). */
  public synchronized <T extends AutoCloseable> T closeLater(T resource) {
    toClose.add(resource);
    return resource;
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    closeAll();
  }

  /** Closes every member and plane, newest first, and deletes the homes. */
  public void closeAll() throws Exception {
    List<AutoCloseable> all;
    Path dir;
    synchronized (this) {
      all = new ArrayList<>(toClose);
      toClose.clear();
      dir = root;
      root = null;
    }
    Exception first = null;
    for (int i = all.size() - 1; i >= 0; i--) {
      try {
        all.get(i).close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** What a member is started with. Not thread-safe. */
  public final class MemberSpec {
    private final String name;
    private PartyConfig config;
    private boolean networkOn = true;
    private NatDetector natDetector;
    private StatePersister persister;
    private ControlPlane plane;
    private final List<io.partynet.PartyListener> listeners = new ArrayList<>();

    private MemberSpec(String name) {
      this.name = name;
      this.config = ManagerHarness.this.config(name);
    }

    /** Changes the member's config, e.g. {@code c -> c.heartbeatInterval(Duration.ofHours(1))}. */
    public MemberSpec config(UnaryOperator<PartyConfig.Builder> change) {
      config = change.apply(config.toBuilder()).build();
      return this;
    }

    /** Runs membership only ({@code network.backend=off}); the fake backend is never touched. */
    public MemberSpec networkOff() {
      networkOn = false;
      config = config.toBuilder().networkBackend("off").build();
      return this;
    }

    public MemberSpec natDetector(NatDetector detector) {
      natDetector = detector;
      return this;
    }

    /** Uses this persister instead of the real state file in the member's home. */
    public MemberSpec statePersister(StatePersister statePersister) {
      persister = statePersister;
      return this;
    }

    /** Uses this control plane instead of one from the {@link ControlPlaneSource}. */
    public MemberSpec controlPlane(ControlPlane controlPlane) {
      plane = controlPlane;
      return this;
    }

    public MemberSpec listener(io.partynet.PartyListener listener) {
      listeners.add(listener);
      return this;
    }

    public Member start() {
      FakeNetworkBackend backend = new FakeNetworkBackend("fake");
      PartyEventRecorder events = new PartyEventRecorder();
      ControlPlane controlPlane = closeLater(plane != null ? plane : planes.open(config, clock));
      plane = null; // a restart opens a new client from the source
      PartyManager.Builder builder = PartyManager.builder().config(config).clock(clock).controlPlane(controlPlane)
          .listener(events).natDetector(natDetector).statePersister(persister);
      listeners.forEach(builder::listener);
      if (networkOn) {
        builder.networkBackend(backend);
      }
      PartyManager manager = closeLater(builder.build());
      return new Member(name, config, manager, backend, events, controlPlane, this);
    }
  }

  /**
   * One started member. {@link #restart()} closes it and starts it again on the same home, as a
   * process restart would. Thread-safe.
   */
  public record Member(String name, PartyConfig config, PartyManager manager, FakeNetworkBackend backend,
      PartyEventRecorder events, ControlPlane plane, MemberSpec spec) {

    /** This member's entry in its current party, as its manager sees it. */
    public Peer self() {
      Party party = manager.currentParty().orElseThrow(() -> new AssertionError(name + " is in no party"));
      return party.peers().get(manager.myPeerId());
    }

    public Key publicKey() {
      return Key.fromBase64(self().publicKey());
    }

    public String id() {
      return manager.myPeerId();
    }

    /** Closes this member's manager and control plane (not leaving its party) and starts it again. */
    public Member restart() {
      manager.close();
      plane.close();
      return spec.start();
    }
  }
}
