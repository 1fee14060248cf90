package io.partynet.wireguard.embedded.internal.device;

import io.partynet.Endpoint;
import io.partynet.Key;
import io.partynet.spi.PeerStats;
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
 * packet: roaming), its packet counters and WireGuard's timer state machine ({@link PeerTimers}),
 * whose deadlines {@link #tick} fires from the injected clock. Transport packets are sealed and sent
 * by the device's {@link SendStage}: a peer picks the session, counter and endpoint under its lock
 * and queues the plaintext there.
 *
 * <p>Thread-safe: every method synchronizes on the peer. Senders on application threads, the
 * device's delivery thread and its receive thread meet here.
 */
final class Peer {
  private static final Logger LOG = LoggerFactory.getLogger(Peer.class);
  private static final long NO_INDEX = Long.MIN_VALUE;
  private static final int MAX_STAGED = 128;
  private static final byte[] EMPTY = new byte[0];

  private final Device device;
  private final Key publicKey;
  private final CookieGenerator cookies;
  private final PeerTimers timers = new PeerTimers();
  private final ArrayDeque<byte[]> staged = new ArrayDeque<>();

  private Handshake handshake;
  private Key presharedKey;
  private volatile InetSocketAddress endpoint;

  private Keypair current;
  private Keypair previous;
  private Keypair next;
  private long handshakeIndex = NO_INDEX;

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
    if (timers.persistentKeepalive(keepaliveSeconds) && endpoint != null) {
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
    timers.anyAuthenticatedPacketTraversal(now);
    timers.anyAuthenticatedPacketReceived();
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
    timers.sessionDerived(now);
    timers.anyAuthenticatedPacketTraversal(now);
    timers.anyAuthenticatedPacketSent();
  }

  synchronized void onResponse(byte[] msg, int offset, InetSocketAddress source, long now) throws HandshakeException {
    Noise.consumeResponse(device.identity(), handshake, msg, offset);
    Keypair keypair = Noise.deriveKeypair(handshake, now);
    handshakeIndex = NO_INDEX;
    device.indices().attachKeypair(this, keypair);
    endpoint = source;
    rxBytes += Messages.RESPONSE_LENGTH;
    timers.anyAuthenticatedPacketTraversal(now);
    timers.anyAuthenticatedPacketReceived();
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
    timers.sessionDerived(now);
    timerHandshakeComplete();
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
      timerHandshakeComplete();
      device.handshakeCompleted();
      flushStaged(current, now);
    }
    InetSocketAddress known = endpoint;
    if (known == null || !known.equals(source)) {
      endpoint = source;
    }
    rxBytes += wireLength;
    timers.anyAuthenticatedPacketTraversal(now);
    timers.anyAuthenticatedPacketReceived();
    if (keypair == current && keypair.isInitiator()
        && now - keypair.createdNanos() > Timing.REJECT_AFTER_TIME - Timing.KEEPALIVE_TIMEOUT - Timing.REKEY_TIMEOUT
        && timers.takeLastMinuteHandshake()) {
      sendHandshakeInitiation(false, now);
    }
    if (plaintextLength > 0) {
      timers.dataReceived(now);
    }
  }

  // ---- timers ----

  /** Fires every timer whose deadline has passed. */
  synchronized void tick(long now) {
    if (timers.takeRetransmitHandshake(now)) {
      if (timers.handshakeAttemptsExhausted(now)) {
        LOG.debug("giving up on handshake with {} after {} attempts", publicKey.toBase64(), timers.handshakeAttempts());
        staged.clear();
      } else {
        sendHandshakeInitiation(true, now);
      }
    }
    if (timers.takeSendKeepalive(now)) {
      sendKeepalive(now);
      timers.keepaliveSent(now);
    }
    if (timers.takeNewHandshake(now)) {
      sendHandshakeInitiation(false, now);
    }
    if (timers.takeZeroKeyMaterial(now)) {
      zeroKeyMaterial();
    }
    if (timers.takePersistentKeepalive(now) && timers.persistentKeepaliveOn()) {
      sendKeepalive(now);
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

  private void timerHandshakeComplete() {
    timers.handshakeComplete();
    lastHandshake = device.clock().instant();
  }

  // ---- sending ----

  private void sendHandshakeInitiation(boolean retry, long now) {
    if (!retry) {
      timers.resetHandshakeAttempts();
    }
    if (lastSentHandshake != NO_INDEX && now - lastSentHandshake < Timing.REKEY_TIMEOUT) {
      return;
    }
    lastSentHandshake = now;
    InetSocketAddress target = endpoint;
    if (target == null) {
      timers.handshakeInitiated(now);
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
    timers.anyAuthenticatedPacketTraversal(now);
    timers.anyAuthenticatedPacketSent();
    device.transmit(ByteBuffer.wrap(msg), target);
    txBytes += msg.length;
    timers.handshakeInitiated(now);
  }

  private void sendKeepalive(long now) {
    Keypair keypair = current;
    if (!staged.isEmpty() || endpoint == null || keypair == null || !keypair.isValid(now)) {
      if (staged.isEmpty()) {
        stage(EMPTY, 0, 0);
      }
      if (keypair != null && keypair.isValid(now) && endpoint != null) {
        flushStaged(keypair, now);
      } else {
        sendHandshakeInitiation(false, now);
      }
      return;
    }
    encryptAndSend(keypair, EMPTY, 0, 0, now);
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
    // A dropped packet (the stage stayed full) is lost as on a full socket buffer; the counter is spent.
    device.sendStage().offer(keypair.sendKey(), keypair.remoteIndex(), counter, packet, offset, length,
        padded - length, target);
    txBytes += Messages.TRANSPORT_HEADER_LENGTH + padded + TransportAead.TAG_LENGTH;
    timers.anyAuthenticatedPacketTraversal(now);
    timers.anyAuthenticatedPacketSent();
    if (length > 0) {
      timers.dataSent(now);
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
