package io.partynet.wireguard.embedded.internal.device;

import io.partynet.Endpoint;
import io.partynet.Key;
import io.partynet.spi.PeerStats;
import io.partynet.wireguard.embedded.internal.crypto.ChaChaPoly;
import io.partynet.wireguard.embedded.internal.crypto.TransportAead;
import io.partynet.wireguard.embedded.internal.noise.CookieGenerator;
import io.partynet.wireguard.embedded.internal.noise.Handshake;
import io.partynet.wireguard.embedded.internal.noise.HandshakeException;
import io.partynet.wireguard.embedded.internal.noise.Keypair;
import io.partynet.wireguard.embedded.internal.noise.Messages;
import io.partynet.wireguard.embedded.internal.noise.Noise;
import io.partynet.wireguard.embedded.internal.noise.Timing;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WireGuard peer: its handshake, its current/previous/next keypairs (key rotation as in
 * wireguard-go {@code noise-protocol.go}), its endpoint (which follows the last authenticated
 * packet: roaming), its packet counters and WireGuard's timer state machine ({@code timers.go}),
 * with every timer kept as a deadline that {@link #tick} fires from the injected clock.
 *
 * <p>Thread-safe: every method synchronizes on the peer. Senders on application threads and the
 * device's receive thread meet here.
 */
final class Peer {
  private static final Logger LOG = LoggerFactory.getLogger(Peer.class);
  private static final long NEVER = Long.MAX_VALUE;
  private static final long NO_INDEX = Long.MIN_VALUE;
  private static final int MAX_STAGED = 128;

  private final Device device;
  private final Key publicKey;
  private final CookieGenerator cookies;
  private final TransportAead sendAead = new TransportAead();
  private final byte[] out;
  private final ByteBuffer outBuffer;
  private final ArrayDeque<byte[]> staged = new ArrayDeque<>();

  private Handshake handshake;
  private Key presharedKey;
  private int persistentKeepaliveSeconds;
  private volatile InetSocketAddress endpoint;

  private Keypair current;
  private Keypair previous;
  private Keypair next;
  private long handshakeIndex = NO_INDEX;

  private long retransmitHandshakeAt = NEVER;
  private long sendKeepaliveAt = NEVER;
  private long newHandshakeAt = NEVER;
  private long zeroKeyMaterialAt = NEVER;
  private long persistentKeepaliveAt = NEVER;
  private int handshakeAttempts;
  private boolean needAnotherKeepalive;
  private boolean sentLastMinuteHandshake;
  private long lastSentHandshake = NO_INDEX;

  private volatile Instant lastHandshake;
  private volatile long rxBytes;
  private volatile long txBytes;

  Peer(Device device, Key publicKey, Key presharedKey) throws HandshakeException {
    this.device = device;
    this.publicKey = publicKey;
    this.presharedKey = presharedKey;
    this.cookies = new CookieGenerator(publicKey.toBytes());
    this.handshake = new Handshake(device.identity(), publicKey.toBytes(), presharedKey == null ? null
        : presharedKey.toBytes());
    this.out = new byte[Messages.TRANSPORT_HEADER_LENGTH + device.mtu() + ChaChaPoly.TAG_LENGTH + 16];
    this.outBuffer = ByteBuffer.wrap(out);
  }

  Key publicKey() {
    return publicKey;
  }

  synchronized void configure(Key newPresharedKey, InetSocketAddress newEndpoint, int keepaliveSeconds, long now)
      throws HandshakeException {
    boolean pskChanged = newPresharedKey == null ? presharedKey != null : !newPresharedKey.equals(presharedKey);
    if (pskChanged) {
      presharedKey = newPresharedKey;
      handshake = new Handshake(device.identity(), publicKey.toBytes(),
          newPresharedKey == null ? null : newPresharedKey.toBytes());
    }
    if (newEndpoint != null) {
      endpoint = newEndpoint;
    }
    boolean keepaliveTurnedOn = keepaliveSeconds > 0 && persistentKeepaliveSeconds == 0;
    persistentKeepaliveSeconds = keepaliveSeconds;
    if (keepaliveSeconds == 0) {
      persistentKeepaliveAt = NEVER;
    }
    if (keepaliveTurnedOn && endpoint != null) {
      // As wg(8) does when a keepalive is configured: send one now, which starts a handshake.
      sendKeepalive(now);
    }
  }

  synchronized PeerStats stats() {
    InetSocketAddress e = endpoint;
    return new PeerStats(publicKey, e == null ? null : Endpoint.of(e), lastHandshake, rxBytes, txBytes);
  }

  /** Encrypts and sends an IP packet, or stages it and starts a handshake when no session is usable. */
  synchronized void send(byte[] packet, int offset, int length) {
    long now = device.nowNanos();
    Keypair keypair = current;
    if (endpoint != null && keypair != null && keypair.isValid(now) && flushStaged(keypair, now)
        && encryptAndSend(keypair, packet, offset, length, now)) {
      keepKeyFreshSending(now);
      return;
    }
    stage(packet, offset, length);
    sendHandshakeInitiation(false, now);
  }

  // ---- receive side (device receive thread) ----

  synchronized void onInitiation(Noise.ConsumedInitiation init, InetSocketAddress source, long now)
      throws HandshakeException {
    handshake.acceptInitiation(init, now);
    endpoint = source;
    timerAnyAuthenticatedPacketTraversal(now);
    timerAnyAuthenticatedPacketReceived();
    releaseHandshakeIndex();
    int index = device.indices().reserve(this);
    handshakeIndex = index;
    byte[] response;
    Keypair keypair;
    try {
      response = Noise.createResponse(handshake, index, device.random());
      cookies.addMacs(response, now);
      keypair = Noise.deriveKeypair(handshake, now);
    } catch (HandshakeException e) {
      releaseHandshakeIndex();
      throw e;
    }
    handshakeIndex = NO_INDEX;
    device.indices().attachKeypair(this, keypair);
    if (next != null) {
      device.indices().remove(next.localIndex());
    }
    next = keypair;
    if (previous != null) {
      device.indices().remove(previous.localIndex());
      previous = null;
    }
    device.transmit(ByteBuffer.wrap(response), source);
    txBytes += response.length;
    timerSessionDerived(now);
    timerAnyAuthenticatedPacketTraversal(now);
    timerAnyAuthenticatedPacketSent();
  }

  synchronized void onResponse(byte[] msg, int offset, InetSocketAddress source, long now) throws HandshakeException {
    Noise.consumeResponse(device.identity(), handshake, msg, offset);
    Keypair keypair = Noise.deriveKeypair(handshake, now);
    handshakeIndex = NO_INDEX;
    device.indices().attachKeypair(this, keypair);
    endpoint = source;
    rxBytes += Messages.RESPONSE_LENGTH;
    timerAnyAuthenticatedPacketTraversal(now);
    timerAnyAuthenticatedPacketReceived();
    if (next != null) {
      if (previous != null) {
        device.indices().remove(previous.localIndex());
      }
      previous = next;
      next = null;
      if (current != null) {
        device.indices().remove(current.localIndex());
      }
    } else {
      if (previous != null) {
        device.indices().remove(previous.localIndex());
      }
      previous = current;
    }
    current = keypair;
    timerSessionDerived(now);
    timerHandshakeComplete(now);
    device.handshakeCompleted();
    if (staged.isEmpty()) {
      sendKeepalive(now);
    } else {
      flushStaged(keypair, now);
    }
  }

  synchronized void onCookieReply(byte[] msg, int offset, long now) throws HandshakeException {
    cookies.consumeReply(msg, offset, now);
  }

  /** Bookkeeping after the device authenticated a transport packet on {@code keypair}. */
  synchronized void onTransport(Keypair keypair, InetSocketAddress source, int wireLength, int plaintextLength,
      long now) {
    if (keypair == next) {
      if (previous != null) {
        device.indices().remove(previous.localIndex());
      }
      previous = current;
      current = next;
      next = null;
      timerHandshakeComplete(now);
      device.handshakeCompleted();
      flushStaged(current, now);
    }
    InetSocketAddress known = endpoint;
    if (known == null || !known.equals(source)) {
      endpoint = source;
    }
    rxBytes += wireLength;
    timerAnyAuthenticatedPacketTraversal(now);
    timerAnyAuthenticatedPacketReceived();
    if (keypair == current && keypair.isInitiator() && !sentLastMinuteHandshake
        && now - keypair.createdNanos() > Timing.REJECT_AFTER_TIME - Timing.KEEPALIVE_TIMEOUT - Timing.REKEY_TIMEOUT) {
      sentLastMinuteHandshake = true;
      sendHandshakeInitiation(false, now);
    }
    if (plaintextLength > 0) {
      timerDataReceived(now);
    }
  }

  // ---- timers ----

  /** Fires every timer whose deadline has passed. */
  synchronized void tick(long now) {
    if (retransmitHandshakeAt <= now) {
      retransmitHandshakeAt = NEVER;
      if (handshakeAttempts > Timing.MAX_TIMER_HANDSHAKES) {
        LOG.debug("giving up on handshake with {} after {} attempts", publicKey.toBase64(), handshakeAttempts);
        sendKeepaliveAt = NEVER;
        staged.clear();
        if (zeroKeyMaterialAt == NEVER) {
          zeroKeyMaterialAt = now + 3 * Timing.REJECT_AFTER_TIME;
        }
      } else {
        handshakeAttempts++;
        sendHandshakeInitiation(true, now);
      }
    }
    if (sendKeepaliveAt <= now) {
      sendKeepaliveAt = NEVER;
      sendKeepalive(now);
      if (needAnotherKeepalive) {
        needAnotherKeepalive = false;
        sendKeepaliveAt = now + Timing.KEEPALIVE_TIMEOUT;
      }
    }
    if (newHandshakeAt <= now) {
      newHandshakeAt = NEVER;
      sendHandshakeInitiation(false, now);
    }
    if (zeroKeyMaterialAt <= now) {
      zeroKeyMaterialAt = NEVER;
      zeroKeyMaterial();
    }
    if (persistentKeepaliveAt <= now) {
      persistentKeepaliveAt = NEVER;
      if (persistentKeepaliveSeconds > 0) {
        sendKeepalive(now);
      }
    }
  }

  synchronized void zeroKeyMaterial() {
    for (Keypair k : new Keypair[] {current, previous, next}) {
      if (k != null) {
        device.indices().remove(k.localIndex());
      }
    }
    current = null;
    previous = null;
    next = null;
    releaseHandshakeIndex();
    handshake.clear();
  }

  private void timerDataSent(long now) {
    if (newHandshakeAt == NEVER) {
      newHandshakeAt = now + Timing.KEEPALIVE_TIMEOUT + Timing.REKEY_TIMEOUT + jitter();
    }
  }

  private void timerDataReceived(long now) {
    if (sendKeepaliveAt == NEVER) {
      sendKeepaliveAt = now + Timing.KEEPALIVE_TIMEOUT;
    } else {
      needAnotherKeepalive = true;
    }
  }

  private void timerAnyAuthenticatedPacketSent() {
    sendKeepaliveAt = NEVER;
  }

  private void timerAnyAuthenticatedPacketReceived() {
    newHandshakeAt = NEVER;
  }

  private void timerHandshakeInitiated(long now) {
    retransmitHandshakeAt = now + Timing.REKEY_TIMEOUT + jitter();
  }

  private void timerHandshakeComplete(long now) {
    retransmitHandshakeAt = NEVER;
    handshakeAttempts = 0;
    sentLastMinuteHandshake = false;
    lastHandshake = device.clock().instant();
  }

  private void timerSessionDerived(long now) {
    zeroKeyMaterialAt = now + 3 * Timing.REJECT_AFTER_TIME;
  }

  private void timerAnyAuthenticatedPacketTraversal(long now) {
    if (persistentKeepaliveSeconds > 0) {
      persistentKeepaliveAt = now + persistentKeepaliveSeconds * 1_000_000_000L;
    }
  }

  /**
   * Timer jitter is not a secret (wireguard-go draws it from a fast PRNG); SecureRandom would
   * allocate on every data packet sent after one was received, which is every TCP segment.
   */
  private static long jitter() {
    return (long) (java.util.concurrent.ThreadLocalRandom.current().nextDouble() * Timing.REKEY_TIMEOUT_JITTER_MAX);
  }

  // ---- sending ----

  private void sendHandshakeInitiation(boolean retry, long now) {
    if (!retry) {
      handshakeAttempts = 0;
    }
    if (lastSentHandshake != NO_INDEX && now - lastSentHandshake < Timing.REKEY_TIMEOUT) {
      return;
    }
    lastSentHandshake = now;
    InetSocketAddress target = endpoint;
    if (target == null) {
      timerHandshakeInitiated(now);
      return;
    }
    releaseHandshakeIndex();
    int index = device.indices().reserve(this);
    handshakeIndex = index;
    byte[] msg;
    try {
      msg = Noise.createInitiation(device.identity(), handshake, index, device.clock().instant(), device.random());
    } catch (HandshakeException e) {
      LOG.warn("cannot start a handshake with {}: {}", publicKey.toBase64(), e.getMessage());
      return;
    }
    cookies.addMacs(msg, now);
    timerAnyAuthenticatedPacketTraversal(now);
    timerAnyAuthenticatedPacketSent();
    device.transmit(ByteBuffer.wrap(msg), target);
    txBytes += msg.length;
    timerHandshakeInitiated(now);
  }

  private void sendKeepalive(long now) {
    Keypair keypair = current;
    if (!staged.isEmpty() || endpoint == null || keypair == null || !keypair.isValid(now)) {
      if (staged.isEmpty()) {
        stage(out, 0, 0);
      }
      if (keypair != null && keypair.isValid(now) && endpoint != null) {
        flushStaged(keypair, now);
      } else {
        sendHandshakeInitiation(false, now);
      }
      return;
    }
    encryptAndSend(keypair, out, 0, 0, now);
  }

  private void keepKeyFreshSending(long now) {
    Keypair keypair = current;
    if (keypair != null && (Long.compareUnsigned(keypair.sentMessages(), Timing.REKEY_AFTER_MESSAGES) > 0
        || (keypair.isInitiator() && now - keypair.createdNanos() > Timing.REKEY_AFTER_TIME))) {
      sendHandshakeInitiation(false, now);
    }
  }

  private void stage(byte[] packet, int offset, int length) {
    if (staged.size() >= MAX_STAGED) {
      staged.pollFirst();
    }
    byte[] copy = new byte[length];
    System.arraycopy(packet, offset, copy, 0, length);
    staged.addLast(copy);
  }

  /** Sends staged packets; false when the keypair ran out of counters. */
  private boolean flushStaged(Keypair keypair, long now) {
    while (!staged.isEmpty()) {
      byte[] packet = staged.peekFirst();
      if (!encryptAndSend(keypair, packet, 0, packet.length, now)) {
        return false;
      }
      staged.pollFirst();
    }
    return true;
  }

  private boolean encryptAndSend(Keypair keypair, byte[] packet, int offset, int length, long now) {
    InetSocketAddress target = endpoint;
    long counter = keypair.nextSendCounter();
    if (counter < 0 || target == null) {
      return false;
    }
    int padded = Math.min((length + 15) & ~15, Math.max(device.mtu(), length));
    Messages.header(out, Messages.TYPE_TRANSPORT);
    Messages.putIntLe(out, 4, keypair.remoteIndex());
    Messages.putLongLe(out, 8, counter);
    int sealed = sendAead.sealPadded(keypair.sendKey(), counter, packet, offset, length, padded - length, out,
        Messages.TRANSPORT_HEADER_LENGTH);
    int total = Messages.TRANSPORT_HEADER_LENGTH + sealed;
    outBuffer.clear();
    outBuffer.limit(total);
    device.transmit(outBuffer, target);
    txBytes += total;
    timerAnyAuthenticatedPacketTraversal(now);
    timerAnyAuthenticatedPacketSent();
    if (length > 0) {
      timerDataSent(now);
    }
    return true;
  }

  private void releaseHandshakeIndex() {
    if (handshakeIndex != NO_INDEX) {
      device.indices().remove((int) handshakeIndex);
      handshakeIndex = NO_INDEX;
    }
  }
}
