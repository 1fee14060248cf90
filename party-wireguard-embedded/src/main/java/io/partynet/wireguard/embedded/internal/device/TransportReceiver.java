package io.partynet.wireguard.embedded.internal.device;

import io.partynet.wireguard.embedded.internal.crypto.TransportAead;
import io.partynet.wireguard.embedded.internal.ip.AllowedIps;
import io.partynet.wireguard.embedded.internal.ip.Ipv4Udp;
import io.partynet.wireguard.embedded.internal.noise.Keypair;
import io.partynet.wireguard.embedded.internal.noise.Messages;
import java.net.InetSocketAddress;
import java.util.function.Supplier;
import javax.crypto.AEADBadTagException;

/**
 * The receive thread's handling of transport data messages: session lookup by receiver index,
 * replay check before and after decryption (RFC 6479 window), authentication, the peer's
 * bookkeeping, and the source filter (the inner packet's source address must be in the sending
 * peer's allowed IPs). Accepted packets are decrypted straight into a {@link DeliveryStage} slot,
 * which hands them to the {@link PacketSink} in the order their counters were accepted.
 *
 * <p>Two kinds are delivered by this thread itself, and only once nothing is queued (so never out
 * of order, and never while the delivery thread works: this thread is the stage's only producer):
 * a packet longer than a slot (after waiting for the queue to drain), and a small one (at most
 * {@value #INLINE_MAX_PLAINTEXT} bytes, e.g. a pure TCP ACK) when the queue is already empty. For
 * the latter the hand-off would cost more than the work it moves: a sending connection's ACKs
 * then take no extra thread hop, while a burst of data still goes through the stage.
 *
 * <p>Not thread-safe: the device's receive thread only.
 */
final class TransportReceiver {
  private static final int NOT_DELIVERED = -1;
  /** Largest plaintext delivered on this thread when the queue is empty: headers, no payload to speak of. */
  static final int INLINE_MAX_PLAINTEXT = 128;

  private final IndexTable indices;
  private final AllowedIps<Peer> routes;
  private final DeviceCounters counters;
  private final Supplier<PacketSink> sink;
  private final DeliveryStage delivery;
  private final TransportAead aead = new TransportAead();
  /** For packets this thread delivers itself. */
  private final byte[] inline;

  TransportReceiver(IndexTable indices, AllowedIps<Peer> routes, DeviceCounters counters, Supplier<PacketSink> sink,
      DeliveryStage delivery, int maxDatagram) {
    this.indices = indices;
    this.routes = routes;
    this.counters = counters;
    this.sink = sink;
    this.delivery = delivery;
    this.inline = new byte[maxDatagram];
  }

  /** Handles one transport message of {@code length} bytes at the start of {@code datagram}. */
  void receive(byte[] datagram, int length, InetSocketAddress source, long now) {
    IndexTable.Entry entry = indices.lookup(Messages.getIntLe(datagram, 4));
    if (entry == null || entry.keypair() == null) {
      counters.unknownIndex.incrementAndGet();
      return;
    }
    Keypair keypair = entry.keypair();
    long counter = Messages.getLongLe(datagram, 8);
    if (!keypair.isValid(now)) {
      counters.unknownIndex.incrementAndGet();
      return;
    }
    if (!keypair.replayWindow().mayAccept(counter)) {
      counters.replayed.incrementAndGet();
      return;
    }
    int sealedLength = length - Messages.TRANSPORT_HEADER_LENGTH;
    int plaintextLength = sealedLength - TransportAead.TAG_LENGTH;
    if (plaintextLength > delivery.capacity()
        || (plaintextLength <= INLINE_MAX_PLAINTEXT && delivery.queued() == 0)) {
      receiveInline(entry.peer(), keypair, counter, datagram, length, source, now);
      return;
    }
    synchronized (delivery) {
      DeliveryStage.Slot slot = delivery.claimSlot();
      if (slot == null) {
        return;
      }
      int packetLength = openAndCheck(entry.peer(), keypair, counter, datagram, length, source, now, slot.bytes);
      if (packetLength == NOT_DELIVERED) {
        return;
      }
      delivery.publish(slot, packetLength);
    }
    delivery.wakeConsumer();
  }

  /** Delivers on this thread, after every queued packet, so it does not overtake them. */
  private void receiveInline(Peer peer, Keypair keypair, long counter, byte[] datagram, int length,
      InetSocketAddress source, long now) {
    if (!delivery.awaitDrained(DeliveryStage.FULL_WAIT_NANOS)) {
      delivery.countDrop();
      return;
    }
    int packetLength = openAndCheck(peer, keypair, counter, datagram, length, source, now, inline);
    if (packetLength != NOT_DELIVERED) {
      sink.get().deliver(inline, 0, packetLength);
    }
  }

  /**
   * Authenticates and decrypts into {@code plaintext}, records the counter, does the peer's
   * bookkeeping and applies the source filter.
   *
   * @return the IP packet's length, or {@link #NOT_DELIVERED}
   */
  private int openAndCheck(Peer peer, Keypair keypair, long counter, byte[] datagram, int length,
      InetSocketAddress source, long now, byte[] plaintext) {
    int plainLength;
    try {
      plainLength = aead.open(keypair.receiveKey(), counter, datagram, Messages.TRANSPORT_HEADER_LENGTH,
          length - Messages.TRANSPORT_HEADER_LENGTH, plaintext, 0);
    } catch (AEADBadTagException e) {
      counters.unauthenticated.incrementAndGet();
      return NOT_DELIVERED;
    }
    if (!keypair.replayWindow().accept(counter)) {
      counters.replayed.incrementAndGet();
      return NOT_DELIVERED;
    }
    peer.onTransport(keypair, source, length, plainLength, now);
    if (plainLength == 0) {
      return NOT_DELIVERED;
    }
    int version = (plaintext[0] & 0xff) >>> 4;
    int packetLength;
    Peer owner;
    if (version == 4 && plainLength >= 20) {
      packetLength = ((plaintext[2] & 0xff) << 8) | (plaintext[3] & 0xff);
      owner = routes.lookupIpv4(Ipv4Udp.sourceAddress(plaintext, 0));
    } else if (version == 6 && plainLength >= 40) {
      packetLength = 40 + (((plaintext[4] & 0xff) << 8) | (plaintext[5] & 0xff));
      owner = routes.lookup(plaintext, 8, 16);
    } else {
      counters.sourceFiltered.incrementAndGet();
      return NOT_DELIVERED;
    }
    if (packetLength > plainLength || packetLength < 20 || owner != peer) {
      counters.sourceFiltered.incrementAndGet();
      return NOT_DELIVERED;
    }
    return packetLength;
  }
}
