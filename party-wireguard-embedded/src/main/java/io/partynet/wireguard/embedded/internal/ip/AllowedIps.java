package io.partynet.wireguard.embedded.internal.ip;

import io.partynet.IpPrefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * WireGuard's cryptokey routing table: IP prefixes mapped to peers, looked up by longest prefix
 * match, for IPv4 and IPv6. A binary trie that is rebuilt on every change and published through a
 * volatile field, so lookups from any thread take no lock and allocate nothing.
 *
 * <p>Thread-safe. An insert of a prefix that exists moves it to the new value (as {@code wg} does).
 */
public final class AllowedIps<T> {
  private record Entry<T>(byte[] address, int prefixLength, T value) {}

  private static final class Node<T> {
    Node<T> zero;
    Node<T> one;
    T value;
  }

  private final List<Entry<T>> entries = new ArrayList<>();
  private volatile Node<T> v4 = new Node<>();
  private volatile Node<T> v6 = new Node<>();

  public synchronized void insert(IpPrefix prefix, T value) {
    Objects.requireNonNull(value, "value");
    IpPrefix network = prefix.network();
    byte[] address = network.addressBytes();
    entries.removeIf(e -> e.prefixLength == network.prefixLength() && java.util.Arrays.equals(e.address, address));
    entries.add(new Entry<>(address, network.prefixLength(), value));
    rebuild();
  }

  /** Removes every prefix that maps to {@code value}. */
  public synchronized void removeValue(T value) {
    entries.removeIf(e -> e.value.equals(value));
    rebuild();
  }

  /** The value of the longest prefix containing the address at {@code address[offset..offset+length)}. */
  public T lookup(byte[] address, int offset, int length) {
    Node<T> node = length == 4 ? v4 : length == 16 ? v6 : null;
    T best = null;
    int bits = length * 8;
    for (int bit = 0; node != null; bit++) {
      if (node.value != null) {
        best = node.value;
      }
      if (bit == bits) {
        break;
      }
      int set = (address[offset + (bit >>> 3)] >>> (7 - (bit & 7))) & 1;
      node = set == 0 ? node.zero : node.one;
    }
    return best;
  }

  /** The value for an IPv4 address given as an int. */
  public T lookupIpv4(int address) {
    Node<T> node = v4;
    T best = null;
    for (int bit = 0; node != null; bit++) {
      if (node.value != null) {
        best = node.value;
      }
      if (bit == 32) {
        break;
      }
      node = ((address >>> (31 - bit)) & 1) == 0 ? node.zero : node.one;
    }
    return best;
  }

  private void rebuild() {
    Node<T> root4 = new Node<>();
    Node<T> root6 = new Node<>();
    for (Entry<T> e : entries) {
      Node<T> node = e.address.length == 4 ? root4 : root6;
      for (int bit = 0; bit < e.prefixLength; bit++) {
        int set = (e.address[bit >>> 3] >>> (7 - (bit & 7))) & 1;
        if (set == 0) {
          if (node.zero == null) {
            node.zero = new Node<>();
          }
          node = node.zero;
        } else {
          if (node.one == null) {
            node.one = new Node<>();
          }
          node = node.one;
        }
      }
      node.value = e.value;
    }
    v4 = root4;
    v6 = root6;
  }
}
