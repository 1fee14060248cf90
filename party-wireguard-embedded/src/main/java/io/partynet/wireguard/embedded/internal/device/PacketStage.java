package io.partynet.wireguard.embedded.internal.device;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded queue of preallocated packet slots and the one thread that works them off in the order
 * they were queued: the device's {@link SendStage} (seal and send) and {@link DeliveryStage} (hand
 * decrypted packets to the stack) are two. Nothing grows: a producer that finds every slot taken
 * waits a bounded time for room (back pressure on a burst, like a full socket buffer), then its
 * packet is dropped and counted. The consumer parks only when the queue is empty, so a burst
 * costs one wake-up; producers wake it only when it parks. Allocation-free per packet.
 *
 * <p>Producers fill a slot under the stage's monitor: {@code synchronized (stage) { slot =
 * claim(); ...fill...; publish(); } wakeConsumer();}. Thread-safe for any number of producers.
 */
abstract class PacketStage<S> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PacketStage.class);
  private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final long FULL_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(20);

  private final S[] slots;
  private final int mask;
  private final long fullWaitNanos;
  private final Thread thread;
  private final AtomicLong dropped = new AtomicLong();
  /** Next slot the consumer works on; written by the consumer only. */
  private volatile long head;
  /** Next slot a producer fills; written under the monitor only. */
  private volatile long tail;
  private volatile boolean consumerParked;
  private volatile boolean running = true;

  /**
   * @param slots the preallocated slots; their number is the capacity, a power of two
   * @param fullWaitNanos how long a producer waits for a free slot before its packet is dropped
   */
  PacketStage(String threadName, S[] slots, long fullWaitNanos) {
    if (Integer.bitCount(slots.length) != 1) {
      throw new IllegalArgumentException("the number of slots must be a power of two, not " + slots.length);
    }
    this.slots = slots;
    this.mask = slots.length - 1;
    this.fullWaitNanos = fullWaitNanos;
    this.thread = new Thread(this::run, threadName);
    this.thread.setDaemon(true);
  }

  /** Starts the consumer; subclasses call it last in their constructor (after their own fields are set). */
  protected final void start() {
    thread.start();
  }

  /** Works off one slot on the consumer thread. */
  protected abstract void process(S slot);

  /** Under the monitor: the slot to fill, or null when the stage is closed or stayed full (counted as a drop). */
  protected final S claim() {
    long t = tail;
    if (!running || (t - head >= slots.length && !awaitRoom(t))) {
      dropped.incrementAndGet();
      return null;
    }
    return slots[(int) t & mask];
  }

  /** Under the monitor, after filling the slot {@link #claim} returned: queues it. */
  protected final void publish() {
    tail = tail + 1;
  }

  /** After leaving the monitor: wakes the consumer if it waits for work. */
  protected final void wakeConsumer() {
    if (consumerParked) {
      LockSupport.unpark(thread);
    }
  }

  /** Packets dropped because the queue stayed full or the stage was closed. */
  final long dropped() {
    return dropped.get();
  }

  /** Counts a packet the producer dropped on the stage's account (it could not be queued in time). */
  final void countDrop() {
    dropped.incrementAndGet();
  }

  /**
   * Waits until every queued packet was worked off (for a producer that must not overtake them).
   *
   * @return false when that took longer than {@code timeoutNanos} or the stage closed
   */
  final boolean awaitDrained(long timeoutNanos) {
    long deadline = System.nanoTime() + timeoutNanos;
    while (head != tail) {
      if (!running || System.nanoTime() - deadline >= 0) {
        return false;
      }
      LockSupport.unpark(thread);
      LockSupport.parkNanos(this, FULL_PARK_NANOS);
    }
    return true;
  }

  /** Packets queued and not yet worked off. */
  final int queued() {
    return (int) (tail - head);
  }

  private boolean awaitRoom(long t) {
    long deadline = System.nanoTime() + fullWaitNanos;
    while (t - head >= slots.length) {
      if (!running || System.nanoTime() - deadline >= 0) {
        return false;
      }
      LockSupport.unpark(thread);
      LockSupport.parkNanos(this, FULL_PARK_NANOS);
    }
    return true;
  }

  private void run() {
    while (running) {
      long h = head;
      if (h == tail) {
        consumerParked = true;
        if (h == tail && running) {
          LockSupport.parkNanos(this, IDLE_PARK_NANOS);
        }
        consumerParked = false;
        continue;
      }
      try {
        process(slots[(int) h & mask]);
      } catch (RuntimeException e) {
        LOG.warn("{} error (packet dropped, continuing): {}", thread.getName(), e.toString());
      } finally {
        head = h + 1;
      }
    }
  }

  /** Stops the consumer; packets still queued are not worked off. */
  @Override
  public void close() {
    running = false;
    LockSupport.unpark(thread);
    if (Thread.currentThread() != thread) {
      try {
        thread.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
