package io.partynet.wireguard.embedded.internal.stack.tcp;

/**
 * Connections by 64-bit key (remote IP, remote port, local port) in a fixed open-addressing table
 * with linear probing and backward-shift deletion, plus a dense list for the timer to walk. No
 * boxing, no allocation after construction. Not thread-safe (the stack's table lock guards it).
 */
final class ConnectionTable {
  private final long[] keys;
  private final TcpConnection[] values;
  private final int mask;
  private final TcpConnection[] list;
  private int size;

  ConnectionTable(int maxConnections) {
    int capacity = Integer.highestOneBit(Math.max(4, maxConnections) * 2 - 1) << 1;
    keys = new long[capacity];
    values = new TcpConnection[capacity];
    mask = capacity - 1;
    list = new TcpConnection[maxConnections];
  }

  int size() {
    return size;
  }

  boolean isFull() {
    return size == list.length;
  }

  TcpConnection get(long key) {
    for (int i = index(key); values[i] != null; i = (i + 1) & mask) {
      if (keys[i] == key) {
        return values[i];
      }
    }
    return null;
  }

  /** Adds {@code c}; false when its key is taken or the table is full. */
  boolean put(TcpConnection c) {
    if (isFull()) {
      return false;
    }
    int i = index(c.key);
    for (; values[i] != null; i = (i + 1) & mask) {
      if (keys[i] == c.key) {
        return false;
      }
    }
    keys[i] = c.key;
    values[i] = c;
    c.slot = size;
    list[size++] = c;
    return true;
  }

  void remove(TcpConnection c) {
    int i = index(c.key);
    for (; values[i] != null; i = (i + 1) & mask) {
      if (values[i] == c) {
        break;
      }
    }
    if (values[i] != c) {
      return;
    }
    values[i] = null;
    int hole = i;
    for (int j = (i + 1) & mask; values[j] != null; j = (j + 1) & mask) {
      int home = index(keys[j]);
      boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
      if (movable) {
        keys[hole] = keys[j];
        values[hole] = values[j];
        values[j] = null;
        hole = j;
      }
    }
    int last = --size;
    TcpConnection moved = list[last];
    list[c.slot] = moved;
    moved.slot = c.slot;
    list[last] = null;
    c.slot = -1;
  }

  /** Copies the connections into {@code into} (which must hold {@link #size}); returns the count. */
  int copyTo(TcpConnection[] into) {
    System.arraycopy(list, 0, into, 0, size);
    return size;
  }

  private int index(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }
}
