package io.partynet.it;

/** {@link RecoveryContract} on the real remote control plane (party-control-server on loopback). */
class RemoteRecoveryTest extends RecoveryContract {

  @Override
  PlaneUnderTest newPlane() {
    return new RemotePlane();
  }
}
