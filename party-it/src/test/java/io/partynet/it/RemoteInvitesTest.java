package io.partynet.it;

/** {@link InvitesContract} on a real party-control-server over loopback with the real client. */
class RemoteInvitesTest extends InvitesContract {

  @Override
  PlaneUnderTest newPlane() {
    return new RemotePlane();
  }
}
