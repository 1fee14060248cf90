package io.partynet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.partynet.Key;
import io.partynet.Party;
import io.partynet.testing.Eventually;
import io.partynet.testing.ManagerHarness.Member;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link MembershipContract} on the real local control plane (one shared discovery file). */
class LocalMembershipTest extends MembershipContract {

  @Override
  PlaneUnderTest newPlane() {
    return new LocalPlane();
  }

  /** A departure whose event was lost is reconciled by the snapshot that follows a gap in the event log. */
  @Test
  void aSnapshotReconcilesMissedDepartures() throws Exception {
    Member alice = members.start("alice");
    Member bob = members.start("bob");
    // Carol sends no heartbeats during the test: she must not notice her removal and rejoin.
    Member carol = members.member("carol").config(c -> c.heartbeatInterval(Duration.ofHours(1))).start();
    Party party = get(alice.manager().create("lan"));
    get(bob.manager().join(party.id(), "bob"));
    get(carol.manager().join(party.id(), "carol"));
    alice.events().await("peerJoined carol", WAIT);
    Key carolKey = carol.publicKey();

    ((LocalPlane) plane).removeSilentlyThenResync(party.id(), carol.id());

    alice.events().await("peerLeft carol left", WAIT);
    Eventually.until(WAIT, () -> !alice.backend().peers().containsKey(carolKey), "carol leaves alice's WireGuard");
    assertEquals(2, alice.manager().currentParty().orElseThrow().peers().size());
  }
}
