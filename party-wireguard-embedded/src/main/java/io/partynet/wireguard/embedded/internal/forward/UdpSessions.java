package io.partynet.wireguard.embedded.internal.forward;

import java.util.ArrayList;
import java.util.List;

/**
 * The UDP sessions of one expose or forward, found by a {@code long} key (an IPv4 address and
 * port, {@code ip << 16 | port}) without boxing: looking a session up happens for every datagram,
 * on the device's receive thread for an expose. At most {@code capacity} sessions; a new one
 * replaces the least recently used when full; {@link #expireIdle} ends the idle ones. A plain
 * scan: a game has a handful of peers and the capacity is small. Thread-safe.
 *
 * @param <S> the session type
 */
final class UdpSessions<S extends UdpSessions.Session> {

  /** One session: its key, when it was last used, and what to release when it ends. */
  abstract static class Session implements AutoCloseable {
    final long key;
    volatile long lastUsedNanos = System.nanoTime();

    Session(long key) {
      this.key = key;
    }

    /** Releases the session's socket; must not block. */
    @Override
    public abstract void close();
  }

  /** Makes the session for a new key. */
  interface Factory<S> {
    S open(long key) throws java.io.IOException;
  }

  private final List<S> sessions = new ArrayList<>();
  private final int capacity;

  UdpSessions(int capacity) {
    this.capacity = capacity;
  }

  static long key(int ipv4, int port) {
    return Integer.toUnsignedLong(ipv4) << 16 | port;
  }

  /** The session for {@code key}, made by {@code factory} when there is none; marked used now. */
  synchronized S get(long key, Factory<S> factory) throws java.io.IOException {
    for (int i = 0; i < sessions.size(); i++) {
      S s = sessions.get(i);
      if (s.key == key) {
        s.lastUsedNanos = System.nanoTime();
        return s;
      }
    }
    if (sessions.size() >= capacity) {
      evictLeastRecentlyUsed();
    }
    S made = factory.open(key);
    sessions.add(made);
    return made;
  }

  private void evictLeastRecentlyUsed() {
    int oldest = 0;
    for (int i = 1; i < sessions.size(); i++) {
      if (sessions.get(i).lastUsedNanos < sessions.get(oldest).lastUsedNanos) {
        oldest = i;
      }
    }
    sessions.remove(oldest).close();
  }

  /** Ends the sessions unused for {@code idleNanos}. */
  synchronized void expireIdle(long idleNanos) {
    long now = System.nanoTime();
    sessions.removeIf(s -> {
      boolean idle = now - s.lastUsedNanos > idleNanos;
      if (idle) {
        s.close();
      }
      return idle;
    });
  }

  synchronized int size() {
    return sessions.size();
  }

  /** Ends every session. */
  synchronized void closeAll() {
    sessions.forEach(Session::close);
    sessions.clear();
  }
}
