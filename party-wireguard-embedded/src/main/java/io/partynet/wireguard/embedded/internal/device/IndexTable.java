package io.partynet.wireguard.embedded.internal.device;

import io.partynet.wireguard.embedded.internal.noise.Keypair;
import java.security.SecureRandom;

/**
 * Maps the 32-bit session indices this device hands out to the peer (and keypair, once the
 * handshake finished) they belong to. A party has a few indices per peer, so the table is a small
 * array snapshot replaced on change and scanned on lookup: no lock and no allocation per packet.
 *
 * <p>Thread-safe.
 */
final class IndexTable {
  record Entry(int index, Peer peer, Keypair keypair) {}

  private final SecureRandom random;
  private volatile Entry[] entries = new Entry[0];

  IndexTable(SecureRandom random) {
    this.random = random;
  }

  Entry lookup(int index) {
    Entry[] snapshot = entries;
    for (Entry e : snapshot) {
      if (e.index == index) {
        return e;
      }
    }
    return null;
  }

  /** Reserves a fresh random index for {@code peer}'s handshake. */
  synchronized int reserve(Peer peer) {
    int index;
    do {
      index = random.nextInt();
    } while (lookup(index) != null);
    put(new Entry(index, peer, null));
    return index;
  }

  /** Points the handshake's index at the keypair it produced. */
  synchronized void attachKeypair(Peer peer, Keypair keypair) {
    remove(keypair.localIndex());
    put(new Entry(keypair.localIndex(), peer, keypair));
  }

  synchronized void remove(int index) {
    Entry[] old = entries;
    int n = 0;
    Entry[] fresh = new Entry[old.length];
    for (Entry e : old) {
      if (e.index != index) {
        fresh[n++] = e;
      }
    }
    if (n != old.length) {
      entries = java.util.Arrays.copyOf(fresh, n);
    }
  }

  synchronized void removePeer(Peer peer) {
    Entry[] old = entries;
    entries = java.util.Arrays.stream(old).filter(e -> e.peer != peer).toArray(Entry[]::new);
  }

  private void put(Entry entry) {
    Entry[] old = entries;
    Entry[] fresh = java.util.Arrays.copyOf(old, old.length + 1);
    fresh[old.length] = entry;
    entries = fresh;
  }
}
