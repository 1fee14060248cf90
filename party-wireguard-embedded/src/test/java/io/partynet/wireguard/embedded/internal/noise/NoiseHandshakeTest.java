package io.partynet.wireguard.embedded.internal.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.wireguard.embedded.internal.crypto.ChaChaPoly;
import io.partynet.wireguard.embedded.internal.crypto.X25519;
import java.security.SecureRandom;
import java.time.Instant;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.Test;

/** A full Noise_IKpsk2 handshake between two in-memory parties, and the ways it must fail. */
class NoiseHandshakeTest {
  private final SecureRandom random = new SecureRandom();
  private final StaticIdentity alice = new StaticIdentity(X25519.generatePrivateKey(random));
  private final StaticIdentity bob = new StaticIdentity(X25519.generatePrivateKey(random));

  @Test
  void handshakeDerivesMatchingTransportKeys() throws Exception {
    byte[] psk = new byte[32];
    random.nextBytes(psk);
    Keypair[] pair = handshake(psk, psk);
    Keypair initiator = pair[0];
    Keypair responder = pair[1];
    assertTrue(initiator.isInitiator());
    assertFalse(responder.isInitiator());
    assertEquals(initiator.remoteIndex(), responder.localIndex());
    assertEquals(responder.remoteIndex(), initiator.localIndex());

    byte[] plain = "hello through the tunnel".getBytes();
    byte[] sealed = new byte[plain.length + 16];
    new ChaChaPoly().seal(initiator.sendKey(), 7, null, plain, 0, plain.length, sealed, 0);
    byte[] opened = new byte[plain.length];
    new ChaChaPoly().open(responder.receiveKey(), 7, null, sealed, sealed.length, opened, 0);
    assertArrayEquals(plain, opened);

    new ChaChaPoly().seal(responder.sendKey(), 0, null, plain, 0, plain.length, sealed, 0);
    new ChaChaPoly().open(initiator.receiveKey(), 0, null, sealed, sealed.length, opened, 0);
    assertArrayEquals(plain, opened);
  }

  @Test
  void mismatchedPresharedKeysFailTheResponse() throws Exception {
    byte[] pskA = new byte[32];
    byte[] pskB = new byte[32];
    pskB[0] = 1;
    assertThrows(HandshakeException.class, () -> handshake(pskA, pskB));
  }

  @Test
  void transportKeysDoNotOpenTheOtherDirection() throws Exception {
    Keypair[] pair = handshake(null, null);
    byte[] plain = new byte[10];
    byte[] sealed = new byte[26];
    new ChaChaPoly().seal(pair[0].sendKey(), 0, null, plain, 0, 10, sealed, 0);
    assertThrows(AEADBadTagException.class,
        () -> new ChaChaPoly().open(pair[0].receiveKey(), 0, null, sealed, 26, new byte[10], 0));
  }

  @Test
  void replayedInitiationIsRefused() throws Exception {
    Handshake aliceSide = new Handshake(alice, bob.publicKey(), null);
    Handshake bobSide = new Handshake(bob, alice.publicKey(), null);
    byte[] init = Noise.createInitiation(alice, aliceSide, 1, Instant.parse("2026-01-01T00:00:00Z"), random);
    Noise.ConsumedInitiation consumed = Noise.consumeInitiation(bob, init, 0);
    assertArrayEquals(alice.publicKey(), consumed.peerStatic());
    bobSide.acceptInitiation(consumed, 0);
    Noise.ConsumedInitiation again = Noise.consumeInitiation(bob, init, 0);
    HandshakeException e = assertThrows(HandshakeException.class,
        () -> bobSide.acceptInitiation(again, 10 * Timing.REKEY_TIMEOUT));
    assertTrue(e.getMessage().contains("replayed"));
  }

  @Test
  void initiationsFasterThanTheRateLimitAreRefused() throws Exception {
    Handshake aliceSide = new Handshake(alice, bob.publicKey(), null);
    Handshake bobSide = new Handshake(bob, alice.publicKey(), null);
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    bobSide.acceptInitiation(Noise.consumeInitiation(bob, Noise.createInitiation(alice, aliceSide, 1, t, random), 0),
        0);
    byte[] second = Noise.createInitiation(alice, aliceSide, 2, t.plusSeconds(1), random);
    assertThrows(HandshakeException.class,
        () -> bobSide.acceptInitiation(Noise.consumeInitiation(bob, second, 0), Timing.HANDSHAKE_INITIATION_RATE / 2));
    bobSide.acceptInitiation(Noise.consumeInitiation(bob, second, 0), Timing.HANDSHAKE_INITIATION_RATE * 2);
    assertEquals(Handshake.State.INITIATION_CONSUMED, bobSide.state());
  }

  @Test
  void tamperedInitiationDoesNotAuthenticate() throws Exception {
    Handshake aliceSide = new Handshake(alice, bob.publicKey(), null);
    byte[] init = Noise.createInitiation(alice, aliceSide, 1, Instant.now(), random);
    init[50] ^= 1;
    assertThrows(HandshakeException.class, () -> Noise.consumeInitiation(bob, init, 0));
  }

  @Test
  void cookieReplyRoundTripEnablesMac2() throws Exception {
    CookieGenerator generator = new CookieGenerator(bob.publicKey());
    CookieChecker checker = new CookieChecker(bob.publicKey(), random);
    Handshake aliceSide = new Handshake(alice, bob.publicKey(), null);
    byte[] init = Noise.createInitiation(alice, aliceSide, 1, Instant.now(), random);
    generator.addMacs(init, 0);
    byte[] source = {127, 0, 0, 1, 0x12, 0x34};
    assertTrue(checker.checkMac1(init, 0, init.length));
    assertFalse(checker.checkMac2(init, 0, init.length, source, 0));
    byte[] reply = checker.createReply(init, 0, init.length, source, 0);
    generator.consumeReply(reply, 0, 0);
    generator.addMacs(init, 1);
    assertTrue(checker.checkMac1(init, 0, init.length));
    assertTrue(checker.checkMac2(init, 0, init.length, source, 1));
    assertFalse(checker.checkMac2(init, 0, init.length, new byte[] {127, 0, 0, 2, 0x12, 0x34}, 1));
    assertFalse(generator.hasFreshCookie(Timing.COOKIE_REFRESH_TIME + 1));
  }

  private Keypair[] handshake(byte[] pskAlice, byte[] pskBob) throws HandshakeException {
    Handshake aliceSide = new Handshake(alice, bob.publicKey(), pskAlice);
    Handshake bobSide = new Handshake(bob, alice.publicKey(), pskBob);
    byte[] init = Noise.createInitiation(alice, aliceSide, 11, Instant.now(), random);
    Noise.ConsumedInitiation consumed = Noise.consumeInitiation(bob, init, 0);
    bobSide.acceptInitiation(consumed, 0);
    byte[] response = Noise.createResponse(bobSide, 22, random);
    Noise.consumeResponse(alice, aliceSide, response, 0);
    return new Keypair[] {Noise.deriveKeypair(aliceSide, 0), Noise.deriveKeypair(bobSide, 0)};
  }
}
