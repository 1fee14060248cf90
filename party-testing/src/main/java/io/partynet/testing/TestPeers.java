package io.partynet.testing;

import io.partynet.Key;
import io.partynet.NatType;
import io.partynet.Peer;
import java.time.Instant;
import java.util.Random;

/** Members with deterministic ids and random-looking keys, for tests. */
public final class TestPeers {
  private TestPeers() {}

  public static Peer peer(String id, NatType natType) {
    byte[] key = new byte[32];
    new Random(id.hashCode()).nextBytes(key);
    return Peer.newMember(id, "name-" + id, Key.fromBytes(key), natType, Instant.EPOCH);
  }

  public static Peer peer(String id) {
    return peer(id, NatType.PORT_RESTRICTED_CONE);
  }
}
