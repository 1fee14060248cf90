package io.partynet.remote.internal;

import io.partynet.Key;
import io.partynet.PartyException;
import io.partynet.PartyException.Reason;
import io.partynet.PartyInfo;
import io.partynet.Peer;
import io.partynet.protocol.internal.ChallengeResponse;
import io.partynet.protocol.internal.KeyProof;
import io.partynet.protocol.internal.PrivateKeyFile;
import io.partynet.protocol.internal.Protocol;
import io.partynet.protocol.internal.RegisterRequest;
import io.partynet.protocol.internal.X25519;
import io.partynet.remote.internal.RestTransport.Call;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;

/**
 * The client's side of "a WireGuard key belongs to one member": proving possession of the private
 * key when registering (protocol revision 2, {@link KeyProof}), and refusing party views in which
 * two members share a key. Stateless and thread-safe.
 */
final class KeyPossession {
  private KeyPossession() {}

  /**
   * The member's private key as the SDK keeps it ({@link PrivateKeyFile}), checked against the public key the member uses. Read when
   * registering and never kept or sent.
   */
  static Key privateKeyFromKeysDir(Path keysDir, Key publicKey) {
    Path file = PrivateKeyFile.in(keysDir);
    Key privateKey;
    try {
      privateKey = PrivateKeyFile.read(file);
    } catch (IOException e) {
      // The message never quotes the file: it may hold a slightly damaged private key.
      throw PartyException.of(Reason.STORAGE, "cannot read the WireGuard private key in " + file
          + " to prove it to the control plane server (" + e.getClass().getSimpleName() + ")", e);
    }
    if (!X25519.publicKey(privateKey).equals(publicKey)) {
      throw PartyException.of(Reason.INVALID_ARGUMENT, "the WireGuard key in " + file
          + " is not the one this member uses; start the member with the key from its own home");
    }
    return privateKey;
  }

  /** Asks the server for a challenge and answers it with the private key {@code keyring} finds. */
  static RegisterRequest provenRegistration(RestTransport rest, Function<Key, Key> keyring, String peerId,
      Key publicKey, boolean once) {
    Call ask = Call.of("POST", Protocol.CHALLENGE, null, null, true);
    ChallengeResponse challenge;
    try {
      challenge = rest.execute(once ? ask.once() : ask, ChallengeResponse.class);
    } catch (PartyException e) {
      if (e.reason() != Reason.INVALID_ARGUMENT) {
        throw e;
      }
      throw PartyException.of(Reason.INVALID_ARGUMENT, "the control plane server does not offer registration with"
          + " proof of key possession (protocol " + Protocol.VERSION + " revision 2 or later"
          + "); update the server (" + e.getMessage() + ")", e);
    }
    if (keyring == null) {
      throw PartyException.of(Reason.INVALID_ARGUMENT, "registering with the control plane server needs the"
          + " WireGuard private key to prove possession: build the client with privateKey(...) or keyring(...)");
    }
    String proof = KeyProof.prove(keyring.apply(publicKey), Key.fromBase64(challenge.serverKey()),
        challenge.nonce(), peerId, publicKey);
    return new RegisterRequest(peerId, publicKey.toBase64(), challenge.nonce(), proof);
  }

  /**
   * A view in which two members share one key would send this member's tunnel for one of them to
   * the other (a cloned key). The server never sends one; the client refuses it all the same.
   */
  static void requireDistinctKeys(PartyInfo party) {
    if (!hasDistinctKeys(party)) {
      throw PartyException.of(Reason.INTERNAL, "the control plane server sent party " + party.partyId()
          + " with two members sharing one WireGuard key; refusing it (is the server trustworthy?)");
    }
  }

  static boolean hasDistinctKeys(PartyInfo party) {
    Set<String> keys = new HashSet<>();
    for (Peer p : party.peers()) {
      if (!keys.add(p.publicKey())) {
        return false;
      }
    }
    return true;
  }
}
