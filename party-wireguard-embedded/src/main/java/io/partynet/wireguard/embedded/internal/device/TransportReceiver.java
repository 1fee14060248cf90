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
 * peer's allowed IPs) before the packet reaches the {@link PacketSink}.
 *
 * <p>Not thread-safe: the device's receive thread only (it reuses one plaintext buffer).
 */
final class TransportReceiver {
  private final IndexTable indices;
  private final AllowedIps<Peer> routes;
  private final DeviceCounters counters;
  private final Supplier<PacketSink> sink;
  private final byte[] plaintext;
  private final TransportAead aead = new TransportAead();

  TransportReceiver(IndexTable indices, AllowedIps<Peer> routes, DeviceCounters counters, Supplier<PacketSink> sink,
      int maxDatagram) {
    this.indices = indices;
    this.routes = routes;
    this.counters = counters;
    this.sink = sink;
    this.plaintext = new byte[maxDatagram];
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
    int plainLength;
    try {
      plainLength = aead.open(keypair.receiveKey(), counter, datagram, Messages.TRANSPORT_HEADER_LENGTH,
          sealedLength, plaintext, 0);
    } catch (AEADBadTagException e) {
      counters.unauthenticated.incrementAndGet();
      return;
    }
    if (!keypair.replayWindow().accept(counter)) {
      counters.replayed.incrementAndGet();
      return;
    }
    Peer peer = entry.peer();
    peer.onTransport(keypair, source, length, plainLength, now);
    if (plainLength == 0) {
      return;
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
      return;
    }
    if (packetLength > plainLength || packetLength < 20 || owner != peer) {
      counters.sourceFiltered.incrementAndGet();
      return;
    }
    sink.get().deliver(plaintext, 0, packetLength);
  }
}
