package io.partynet.it;

/**
 * {@link MembershipContract} on the real remote control plane: party-control-server on loopback
 * and one RemoteControlPlaneClient per member.
 */
class RemoteMembershipTest extends MembershipContract {

  @Override
  PlaneUnderTest newPlane() {
    return new RemotePlane();
  }
}
