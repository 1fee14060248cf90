package io.partynet.wireguard.embedded.internal;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A userspace UDP forwarder that reorders and duplicates datagrams, for the namespace path where
 * the kernel has no netem. It owns two sockets on one address: one faces the embedded member (which
 * is told it is wireguard-go), the other faces wireguard-go (which is told it is the embedded
 * member), so every datagram of either side goes through it; WireGuard roams to the source of
 * authenticated packets, and here that source is always the forwarder.
 *
 * <p>Each direction has one thread that receives, decides with its own seeded random and sends:
 * a fraction of the datagrams is held back until 1 to {@code maxOvertakers} later datagrams of
 * the same direction went out (or {@code maxHold} passed, when the traffic pauses), so they arrive
 * after later ones; a fraction of the others is sent twice in a row. What actually happened is
 * counted: a datagram sent after one that arrived later is out of order.
 */
final class ReorderingForwarder implements AutoCloseable {
  /** Held datagrams beyond this are forwarded at once (bounds the memory of a burst). */
  private static final int MAX_HELD = 64;
  private static final int MAX_DATAGRAM = 65_535;
  private static final int SOCKET_BUFFER = 4 << 20;

  /**
   * What the forwarder does to each direction.
   *
   * @param holdBack the probability that a datagram is held back
   * @param maxOvertakers a held datagram goes out after 1 to this many later ones
   * @param duplicate the probability that a datagram not held back is sent twice
   * @param maxHold the longest a datagram is held when no later ones come
   */
  record Disorder(double holdBack, int maxOvertakers, double duplicate, Duration maxHold) {
    Disorder {
      if (holdBack < 0 || holdBack >= 1 || duplicate < 0 || duplicate >= 1 || maxOvertakers < 1
          || maxHold.isNegative() || maxHold.isZero()) {
        throw new IllegalArgumentException("probabilities in [0, 1), at least one overtaker, a positive hold");
      }
    }
  }

  /** What one direction did, read while it runs. */
  record Counts(long received, long outOfOrder, long duplicated, long strays) {}

  private final DatagramSocket facingEmbedded;
  private final DatagramSocket facingWireGuardGo;
  private final List<Direction> directions = new ArrayList<>();

  /** Binds both sockets on {@code address} (ephemeral ports); nothing is forwarded before {@link #start}. */
  ReorderingForwarder(InetAddress address) throws SocketException {
    facingEmbedded = bind(address);
    try {
      facingWireGuardGo = bind(address);
    } catch (SocketException e) {
      facingEmbedded.close();
      throw e;
    }
  }

  private static DatagramSocket bind(InetAddress address) throws SocketException {
    DatagramSocket socket = new DatagramSocket(new InetSocketAddress(address, 0));
    socket.setReceiveBufferSize(SOCKET_BUFFER);
    socket.setSendBufferSize(SOCKET_BUFFER);
    return socket;
  }

  /** The address the embedded member must send to (its peer endpoint for wireguard-go). */
  InetSocketAddress facingEmbedded() {
    return (InetSocketAddress) facingEmbedded.getLocalSocketAddress();
  }

  /** The address wireguard-go must send to (its endpoint for the embedded member). */
  InetSocketAddress facingWireGuardGo() {
    return (InetSocketAddress) facingWireGuardGo.getLocalSocketAddress();
  }

  /**
   * Starts forwarding between the two sides; datagrams from any other source are dropped and
   * counted as strays. Each direction gets its own random from {@code seed}.
   */
  void start(InetSocketAddress embedded, InetSocketAddress wireGuardGo, Disorder disorder, long seed)
      throws SocketException {
    if (!directions.isEmpty()) {
      throw new IllegalStateException("already started");
    }
    SplittableRandom random = new SplittableRandom(seed);
    directions.add(new Direction("toward wireguard-go", facingEmbedded, embedded, facingWireGuardGo, wireGuardGo,
        disorder, random.split()));
    directions.add(new Direction("toward the embedded member", facingWireGuardGo, wireGuardGo, facingEmbedded,
        embedded, disorder, random.split()));
    for (Direction d : directions) {
      d.thread.start();
    }
  }

  Counts towardWireGuardGo() {
    return directions.get(0).counts();
  }

  Counts towardEmbedded() {
    return directions.get(1).counts();
  }

  /**
   * Rethrows the first failure of a forwarding thread (a send or receive error while open).
   *
   * @throws IOException what stopped a direction
   */
  void checkHealthy() throws IOException {
    for (Direction d : directions) {
      IOException failure = d.failure;
      if (failure != null) {
        throw new IOException("the forwarder stopped " + d.name + ": " + failure.getMessage(), failure);
      }
    }
  }

  @Override
  public void close() {
    facingEmbedded.close();
    facingWireGuardGo.close();
    for (Direction d : directions) {
      try {
        d.thread.join(Duration.ofSeconds(5).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** A datagram held back: it goes out once {@code releaseAfter} datagrams were forwarded, or at its deadline. */
  private record Held(byte[] data, long arrival, long releaseAfter, long deadlineNanos) {}

  /** One direction: receives on one socket, sends from the other. Its state belongs to its thread. */
  private static final class Direction implements Runnable {
    final String name;
    final Thread thread;
    private final DatagramSocket in;
    private final InetSocketAddress source;
    private final DatagramSocket out;
    private final InetSocketAddress target;
    private final Disorder disorder;
    private final SplittableRandom random;
    private final List<Held> held = new ArrayList<>();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong outOfOrder = new AtomicLong();
    private final AtomicLong duplicated = new AtomicLong();
    private final AtomicLong strays = new AtomicLong();
    /** Datagrams forwarded without being held: a held one waits for some of these. */
    private long passed;
    private long highestArrivalSent;
    volatile IOException failure;

    Direction(String name, DatagramSocket in, InetSocketAddress source, DatagramSocket out, InetSocketAddress target,
        Disorder disorder, SplittableRandom random) throws SocketException {
      this.name = name;
      this.in = in;
      this.source = source;
      this.out = out;
      this.target = target;
      this.disorder = disorder;
      this.random = random;
      in.setSoTimeout((int) Math.max(1, disorder.maxHold().toMillis()));
      thread = new Thread(this, "reordering forwarder " + name);
      thread.setDaemon(true);
    }

    Counts counts() {
      return new Counts(received.get(), outOfOrder.get(), duplicated.get(), strays.get());
    }

    @Override
    public void run() {
      DatagramPacket packet = new DatagramPacket(new byte[MAX_DATAGRAM], MAX_DATAGRAM);
      try {
        while (!in.isClosed()) {
          releaseDue(!receiveOne(packet));
        }
      } catch (IOException e) {
        if (!in.isClosed()) {
          failure = e;
        }
      }
    }

    /** Receives and forwards one datagram; false when none came within {@code maxHold}. */
    private boolean receiveOne(DatagramPacket packet) throws IOException {
      packet.setLength(MAX_DATAGRAM);
      try {
        in.receive(packet);
      } catch (SocketTimeoutException quiet) {
        return false;
      }
      if (source.equals(packet.getSocketAddress())) {
        forward(packet);
      } else {
        strays.incrementAndGet();
      }
      return true;
    }

    private void forward(DatagramPacket packet) throws IOException {
      long arrival = received.incrementAndGet();
      if (random.nextDouble() < disorder.holdBack() && held.size() < MAX_HELD) {
        byte[] copy = Arrays.copyOfRange(packet.getData(), packet.getOffset(), packet.getOffset() + packet.getLength());
        long overtakers = 1 + random.nextInt(disorder.maxOvertakers());
        held.add(new Held(copy, arrival, passed + overtakers, System.nanoTime() + disorder.maxHold().toNanos()));
        return;
      }
      send(packet.getData(), packet.getOffset(), packet.getLength(), arrival);
      passed++;
      if (random.nextDouble() < disorder.duplicate()) {
        send(packet.getData(), packet.getOffset(), packet.getLength(), arrival);
        duplicated.incrementAndGet();
      }
    }

    /** Sends the held datagrams whose overtakers went out, or all of them when {@code quiet} or past their deadline. */
    private void releaseDue(boolean quiet) throws IOException {
      long now = System.nanoTime();
      for (Iterator<Held> it = held.iterator(); it.hasNext(); ) {
        Held h = it.next();
        if (quiet || passed >= h.releaseAfter() || now - h.deadlineNanos() >= 0) {
          it.remove();
          send(h.data(), 0, h.data().length, h.arrival());
        }
      }
    }

    private void send(byte[] data, int offset, int length, long arrival) throws IOException {
      if (arrival < highestArrivalSent) {
        outOfOrder.incrementAndGet();
      }
      highestArrivalSent = Math.max(highestArrivalSent, arrival);
      out.send(new DatagramPacket(data, offset, length, target));
    }
  }
}
