package io.partynet.core.internal.manager;

import io.partynet.ControlPlaneUnavailableException;
import io.partynet.Key;
import io.partynet.PartyConfig;
import io.partynet.PartyListener;
import io.partynet.spi.ControlPlane;
import io.partynet.spi.NatDetector;
import io.partynet.spi.NetworkBackend;
import io.partynet.spi.StatePersister;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Collects the parts a {@link DefaultPartyManager} is wired from; {@link DefaultPartyManagerFactory}
 * fills them from the configuration, tests pass their own (a manual clock, a recording scheduler).
 * The manager reads the fields directly when it is built. Not thread-safe.
 */
public final class DefaultPartyManagerBuilder {
  PartyConfig config;
  Clock clock = Clock.systemUTC();
  StatePersister persister;
  ControlPlaneConnector controlPlane;
  DataPlane dataPlane;
  NatDetector natDetector;
  Key privateKey;
  Key publicKey;
  PeriodicScheduler scheduler;
  final List<PartyListener> listeners = new ArrayList<>();
  final List<AutoCloseable> owned = new ArrayList<>();

  DefaultPartyManagerBuilder() {}

  public DefaultPartyManagerBuilder config(PartyConfig v) { config = v; return this; }
  public DefaultPartyManagerBuilder clock(Clock v) { clock = v; return this; }
  public DefaultPartyManagerBuilder statePersister(StatePersister v) { persister = v; return this; }

  /** Uses {@code v}, started by the manager; there is no fallback. */
  public DefaultPartyManagerBuilder controlPlane(ControlPlane v) { controlPlane = ControlPlaneConnector.only(v); return this; }

  /** Lets {@code v} decide which control plane the manager uses (the factory's fallback). */
  DefaultPartyManagerBuilder controlPlane(ControlPlaneConnector v) { controlPlane = v; return this; }

  /** Uses backends named {@code name} from {@code backends}, one new instance per party, closed when it ends. */
  public DefaultPartyManagerBuilder network(String name, Supplier<NetworkBackend> backends) {
    dataPlane = DataPlane.of(name, backends);
    return this;
  }

  /** Uses {@code backend} for every party and never closes it: it belongs to whoever passed it in. */
  public DefaultPartyManagerBuilder borrowedNetwork(NetworkBackend backend) {
    dataPlane = DataPlane.borrowed(backend);
    return this;
  }

  /** Runs membership only: no interface, status reports network "off". */
  public DefaultPartyManagerBuilder networkOff() { dataPlane = DataPlane.off(); return this; }

  /** Null means "no detector": the member runs relay-only with NAT type UNKNOWN. */
  public DefaultPartyManagerBuilder natDetector(NatDetector v) { natDetector = v; return this; }

  /** The member's WireGuard key pair; the private key only ever goes to the network backend. */
  public DefaultPartyManagerBuilder keys(Key privateKey, Key publicKey) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    return this;
  }

  /** Drives heartbeats; default one daemon thread. Tests pass a manual one. */
  public DefaultPartyManagerBuilder scheduler(PeriodicScheduler v) { scheduler = v; return this; }
  public DefaultPartyManagerBuilder listener(PartyListener v) { listeners.add(Objects.requireNonNull(v, "listener")); return this; }
  public DefaultPartyManagerBuilder listeners(List<PartyListener> v) { v.forEach(this::listener); return this; }

  /** Closes {@code resource} when the manager closes (things the factory created for it). */
  public DefaultPartyManagerBuilder owning(AutoCloseable resource) { owned.add(resource); return this; }

  /**
   * Builds the manager, connects it to the control plane and starts resuming any persisted party
   * in the background.
   *
   * @throws ControlPlaneUnavailableException when the control plane cannot be reached, no
   *     fallback applies and there is no persisted party (a persisted party is kept: the manager
   *     starts and reconnects)
   */
  public DefaultPartyManager build() {
    return DefaultPartyManager.buildAndStart(this);
  }
}
