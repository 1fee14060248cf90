package io.partynet.it;

/** {@link InvitesContract} on the real local control plane. */
class LocalInvitesTest extends InvitesContract {

  @Override
  PlaneUnderTest newPlane() {
    return new LocalPlane();
  }
}
