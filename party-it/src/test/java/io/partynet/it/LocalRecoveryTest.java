package io.partynet.it;

/** {@link RecoveryContract} on the real local control plane. */
class LocalRecoveryTest extends RecoveryContract {

  @Override
  PlaneUnderTest newPlane() {
    return new LocalPlane();
  }
}
