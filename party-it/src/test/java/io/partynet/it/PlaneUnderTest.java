package io.partynet.it;

import io.partynet.PartyInfo;
import io.partynet.testing.ControlPlaneSource;
import io.partynet.testing.ManagerHarness;
import java.time.Instant;
import java.util.Optional;

/**
 * A real control plane the manager contract runs on, with what the tests need to look into it
 * and to make it misbehave the way a real one can. Thread-safe.
 */
interface PlaneUnderTest extends ControlPlaneSource, AutoCloseable {

  /** Called once before the first member starts; the plane may keep files in the harness root. */
  void attach(ManagerHarness members);

  /** What a member's listener hears when its client has connected, before anything else. */
  java.util.List<String> eventsOnConnect();

  /** The party as the plane holds it. */
  Optional<PartyInfo> party(String partyId);

  /** When the plane last heard from the member. */
  Optional<Instant> lastSeen(String partyId, String peerId);

  int partyCount();

  /** The plane loses every party without telling anyone (a wiped discovery file or server database). */
  void loseEverything();

  /** From now on no call reaches the plane. */
  void makeUnreachable();

  @Override
  void close();
}
