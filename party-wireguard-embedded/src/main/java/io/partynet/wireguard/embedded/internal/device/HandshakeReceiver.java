package io.partynet.wireguard.embedded.internal.device;

import io.partynet.Key;
import io.partynet.wireguard.embedded.internal.noise.CookieChecker;
import io.partynet.wireguard.embedded.internal.noise.HandshakeException;
import io.partynet.wireguard.embedded.internal.noise.Messages;
import io.partynet.wireguard.embedded.internal.noise.Noise;
import io.partynet.wireguard.embedded.internal.noise.StaticIdentity;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Map;

/**
 * The receive thread's handling of handshake messages (initiation, response, cookie reply): MAC1
 * always, MAC2 under load (a cookie reply instead of work when it is missing, WireGuard's DoS
 * defence), then the peer's half of the Noise handshake. The counterpart of
 * {@link TransportReceiver}. Not thread-safe: the device's receive thread only.
 */
final class HandshakeReceiver {
  private final StaticIdentity identity;
  private final Map<Key, Peer> peers;
  private final IndexTable indices;
  private final DeviceCounters counters;
  private final SendStage.Link link;
  private final HandshakeLoad load;
  private final CookieChecker cookies;

  HandshakeReceiver(StaticIdentity identity, Map<Key, Peer> peers, IndexTable indices, DeviceCounters counters,
      SecureRandom random, int underLoadThreshold, SendStage.Link link) {
    this.identity = identity;
    this.peers = peers;
    this.indices = indices;
    this.counters = counters;
    this.link = link;
    this.load = new HandshakeLoad(underLoadThreshold);
    this.cookies = new CookieChecker(identity.publicKey(), random);
  }

  /** Handles one handshake message of {@code type} and {@code length} bytes at the start of {@code message}. */
  void receive(int type, byte[] message, int length, InetSocketAddress source, long now) throws HandshakeException {
    if (type == Messages.TYPE_COOKIE_REPLY) {
      IndexTable.Entry entry = indices.lookup(Messages.getIntLe(message, 4));
      if (entry == null) {
        counters.unknownIndex.incrementAndGet();
        return;
      }
      entry.peer().onCookieReply(message, 0, now);
      return;
    }
    if (!cookies.checkMac1(message, 0, length)) {
      throw new HandshakeException("bad MAC1");
    }
    if (load.countAndCheck(now)) {
      byte[] sourceBytes = HandshakeLoad.sourceBytes(source);
      if (!cookies.checkMac2(message, 0, length, sourceBytes, now)) {
        link.transmit(ByteBuffer.wrap(cookies.createReply(message, 0, length, sourceBytes, now)), source);
        counters.cookieReplies.incrementAndGet();
        return;
      }
    }
    if (type == Messages.TYPE_INITIATION) {
      Noise.ConsumedInitiation init = Noise.consumeInitiation(identity, message, 0);
      Peer peer = peers.get(Key.fromBytes(init.peerStatic()));
      if (peer == null) {
        throw new HandshakeException("initiation from an unknown peer");
      }
      peer.onInitiation(init, source, now);
    } else {
      IndexTable.Entry entry = indices.lookup(Messages.getIntLe(message, 8));
      if (entry == null || entry.keypair() != null) {
        counters.unknownIndex.incrementAndGet();
        return;
      }
      entry.peer().onResponse(message, 0, source, now);
    }
  }
}
