package io.partynet.wireguard.embedded.internal.stack.tcp;

import io.partynet.wireguard.embedded.internal.stack.StackCounters;
import io.partynet.wireguard.embedded.internal.stack.ipv4.Ipv4;
import java.security.SecureRandom;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Two TCP stacks joined by a simulated link with a manual clock: every packet may be lost,
 * duplicated or delayed by a random amount (which reorders), all decided by one seeded random
 * source, so a run is deterministic. Single-threaded: {@link #advance} delivers due packets and
 * runs both stacks' timers.
 */
final class SimulatedNetwork {
  static final int IP_A = Ipv4.getInt(new byte[] {10, 77, 0, 1}, 0);
  static final int IP_B = Ipv4.getInt(new byte[] {10, 77, 0, 2}, 0);
  static final long MILLI = 1_000_000L;

  final TcpStack a;
  final TcpStack b;
  final StackCounters countersA = new StackCounters();
  final StackCounters countersB = new StackCounters();
  long now = 1_000 * MILLI;
  long delivered;
  long lost;
  private final Random random;
  private final double loss;
  private final double duplication;
  private final long latency;
  private final long jitter;
  private final PriorityQueue<InFlight> queue = new PriorityQueue<>();
  private long order;
  /** When false, the link drops everything (a peer that vanished). */
  boolean up = true;

  private record InFlight(long at, long order, int destination, byte[] packet) implements Comparable<InFlight> {
    @Override
    public int compareTo(InFlight o) {
      return at != o.at ? Long.compare(at, o.at) : Long.compare(order, o.order);
    }
  }

  SimulatedNetwork(long seed, double loss, double duplication, long latencyNanos, long jitterNanos, TcpConfig config) {
    this.random = new Random(seed);
    this.loss = loss;
    this.duplication = duplication;
    this.latency = latencyNanos;
    this.jitter = jitterNanos;
    a = new TcpStack(IP_A, config, (p, o, l) -> send(IP_B, p, o, l), () -> now, countersA, seeded(seed));
    b = new TcpStack(IP_B, config, (p, o, l) -> send(IP_A, p, o, l), () -> now, countersB, seeded(~seed));
  }

  /** SHA1PRNG seeded before first use is deterministic: the same ISNs and ports every run. */
  private static SecureRandom seeded(long seed) {
    try {
      SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
      r.setSeed(seed);
      return r;
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private boolean send(int destination, byte[] packet, int offset, int length) {
    if (!up || random.nextDouble() < loss) {
      lost++;
      return true;
    }
    int copies = random.nextDouble() < duplication ? 2 : 1;
    for (int i = 0; i < copies; i++) {
      byte[] copy = new byte[length];
      System.arraycopy(packet, offset, copy, 0, length);
      long delay = latency + (jitter > 0 ? (long) (random.nextDouble() * jitter) : 0);
      queue.add(new InFlight(now + delay, order++, destination, copy));
    }
    return true;
  }

  /** Moves the clock by {@code nanos}, delivering packets as they fall due and ticking timers every 5 ms. */
  void advance(long nanos) {
    long end = now + nanos;
    while (true) {
      InFlight next = queue.peek();
      long nextTick = now - (now % (5 * MILLI)) + 5 * MILLI;
      long step = Math.min(end, Math.min(nextTick, next == null ? Long.MAX_VALUE : next.at));
      now = Math.max(now, step);
      while ((next = queue.peek()) != null && next.at <= now) {
        queue.poll();
        delivered++;
        TcpStack target = next.destination == IP_A ? a : b;
        int source = next.destination == IP_A ? IP_B : IP_A;
        target.input(next.packet, Ipv4.HEADER_LENGTH, next.packet.length - Ipv4.HEADER_LENGTH, source,
            next.destination);
      }
      if (now == nextTick) {
        a.tick();
        b.tick();
      }
      if (now >= end) {
        return;
      }
    }
  }

  boolean idle() {
    return queue.isEmpty();
  }
}
