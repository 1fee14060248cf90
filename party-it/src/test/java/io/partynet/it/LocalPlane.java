package io.partynet.it;

import io.partynet.PartyConfig;
import io.partynet.PartyInfo;
import io.partynet.control.local.internal.DiscoveryFileProbe;
import io.partynet.control.local.internal.LocalControlPlane;
import io.partynet.spi.ControlPlane;
import io.partynet.testing.ManagerHarness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** The local control plane: every member's {@link LocalControlPlane} shares one discovery file. Thread-safe. */
final class LocalPlane implements PlaneUnderTest {
  private volatile ManagerHarness members;
  private volatile DiscoveryFileProbe probe;

  @Override
  public String name() {
    return "local";
  }

  @Override
  public void attach(ManagerHarness harness) {
    members = harness;
    probe = new DiscoveryFileProbe(harness.config("probe"), harness.clock());
  }

  @Override
  public ControlPlane open(PartyConfig config, Clock clock) {
    return new LocalControlPlane(config, clock);
  }

  @Override
  public java.util.List<String> eventsOnConnect() {
    return java.util.List.of();
  }

  @Override
  public Optional<PartyInfo> party(String partyId) {
    return probe.party(partyId);
  }

  @Override
  public Optional<Instant> lastSeen(String partyId, String peerId) {
    return probe.lastSeen(partyId, peerId);
  }

  @Override
  public int partyCount() {
    return probe.partyCount();
  }

  @Override
  public void loseEverything() {
    try {
      Files.deleteIfExists(discoveryFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A directory where the discovery file should be: every transaction on it fails. */
  @Override
  public void makeUnreachable() {
    try {
      Files.deleteIfExists(discoveryFile());
      Files.createDirectories(discoveryFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Drops {@code peerId} without an event and overflows the event log, so every member gets the
   * party's full state instead of the events it missed.
   */
  void removeSilentlyThenResync(String partyId, String peerId) {
    probe.removeSilentlyAndOverflowTheLog(partyId, peerId);
  }

  private Path discoveryFile() {
    return members.config("probe").discoveryFile();
  }

  @Override
  public void close() {
    // the harness deletes its root, discovery file included
  }
}
