package io.partynet.protocol.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Key;
import java.security.SecureRandom;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class KeyProofTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String NONCE = "p3oh17Si8Os9LAoeKY8G7J2IiRc6lLMmQO4olclRTVUuvlzl5udMYw";

  /** RFC 7748, section 6.1. */
  @Test
  void x25519MatchesTheRfcVectors() {
    Key alice = Key.fromHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    Key bobPublic = Key.fromHex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
    assertEquals("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", X25519.publicKey(alice).toHex());
    assertEquals("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742",
        HexFormat.of().formatHex(X25519.sharedSecret(alice, bobPublic)));
  }

  @Test
  void smallOrderPublicKeysAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> X25519.sharedSecret(randomKey(), Key.fromBytes(new byte[32])));
    assertFalse(KeyProof.verify(randomKey(), randomKey(), NONCE, "p", Key.fromBytes(new byte[32]), "A".repeat(43)));
  }

  @Property(tries = 50)
  void onlyTheHolderOfThePrivateKeyProves(@ForAll @Size(32) byte[] clientSecret, @ForAll @Size(32) byte[] otherSecret) {
    Key client = Key.fromBytes(clientSecret);
    Key clientPublic = X25519.publicKey(client);
    Key server = randomKey();
    Key serverPublic = X25519.publicKey(server);
    String proof = KeyProof.prove(client, serverPublic, NONCE, "peer", clientPublic);
    assertTrue(KeyProof.verify(server, serverPublic, NONCE, "peer", clientPublic, proof));
    assertFalse(KeyProof.verify(server, serverPublic, NONCE, "other-peer", clientPublic, proof));
    assertFalse(KeyProof.verify(server, serverPublic, NONCE.replace('p', 'q'), "peer", clientPublic, proof));
    Key other = Key.fromBytes(otherSecret);
    if (!X25519.publicKey(other).equals(clientPublic)) {
      String guess = KeyProof.prove(other, serverPublic, NONCE, "peer", clientPublic);
      assertFalse(KeyProof.verify(server, serverPublic, NONCE, "peer", clientPublic, guess));
    }
  }

  @Test
  void bothSidesAgree() {
    Key a = randomKey();
    Key b = randomKey();
    assertArrayEquals(X25519.sharedSecret(a, X25519.publicKey(b)), X25519.sharedSecret(b, X25519.publicKey(a)));
  }

  private static Key randomKey() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Key.fromBytes(bytes);
  }
}
