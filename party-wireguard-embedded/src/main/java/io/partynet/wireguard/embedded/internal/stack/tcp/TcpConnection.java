package io.partynet.wireguard.embedded.internal.stack.tcp;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;

/**
 * One TCP connection (RFC 9293): the state machine of section 3.3.2 driven by segment arrivals
 * (section 3.10.7), timers (section 3.10.8) and application calls (sections 3.10.1-3.10.6).
 * The sending half is a {@link TcpSender}, the receiving half a {@link TcpReceiver}, the timers
 * {@link ConnectionTimers}; this class runs the states, builds outgoing segments and serves the
 * application. The connection's monitor guards all state: arrivals run on the device's receive
 * thread, timers on the stack's timer thread, and applications block on the monitor.
 */
public final class TcpConnection {
  /** RFC 9293 section 3.3.2; LISTEN belongs to {@link TcpListener}. */
  public enum State { SYN_SENT, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK,
    TIME_WAIT, CLOSED }

  final TcpStack stack;
  private final TcpConfig config;
  final int localPort;
  final int remoteIp;
  final int remotePort;
  final long key;
  final TcpListener listener;
  /** Index in the stack's connection list; guarded by the stack's table lock. */
  int slot = -1;
  private final byte[] packet;
  private final TcpSender sender;
  final TcpReceiver receiver;
  private final ReceiveBuffer received;
  final ConnectionTimers timers;
  private final SegmentArrival arrival;
  /** Read by {@link ConnectionTimers} under the monitor. */
  State state;
  private IOException error;
  /** Read by {@link SegmentArrival} under the monitor. */
  boolean applicationClosed;
  private Runnable readinessListener;

  TcpConnection(TcpStack stack, TcpListener listener, int localPort, int remoteIp, int remotePort, int iss,
      int timestampOffset, long now) {
    this.stack = stack;
    this.config = stack.config();
    this.listener = listener;
    this.localPort = localPort;
    this.remoteIp = remoteIp;
    this.remotePort = remotePort;
    this.key = TcpStack.key(remoteIp, remotePort, localPort);
    this.packet = new byte[config.mtu()];
    this.sender = new TcpSender(this::emit,
        new SendBuffer(config.sendBufferBytes(), config.sendBufferMaxBytes(), stack.growthBudget()), iss,
        config.minRto().toNanos(), stack.counters());
    this.receiver = new TcpReceiver(config, timestampOffset, stack.growthBudget());
    this.received = receiver.buffer;
    this.timers = new ConnectionTimers(this, config, sender, now);
    this.arrival = new SegmentArrival(this, sender);
  }

  /** Active open (RFC 9293 section 3.10.1): sends the SYN; false when no route leads to the peer. */
  synchronized boolean open(long now) {
    state = State.SYN_SENT;
    receiver.offerOptions();
    sender.next = sender.iss + 1;
    sender.max = sender.next;
    sender.rtoDeadline = now + sender.rto.rtoNanos();
    if (!emit(sender.iss, TcpSegment.SYN, 0, 0)) {
      terminate(null);
      return false;
    }
    return true;
  }

  /** Passive open: a listener took {@code syn}; answers with SYN-ACK (RFC 9293 section 3.10.7.2). */
  synchronized void acceptSyn(TcpSegment syn, long now) {
    state = State.SYN_RECEIVED;
    takeSynOptions(syn);
    received.reset(syn.seq + 1);
    sender.window = syn.window;
    sender.wl1 = syn.seq;
    sender.wl2 = sender.iss;
    emit(sender.iss, TcpSegment.SYN | TcpSegment.ACK, 0, 0);
    sender.next = sender.iss + 1;
    sender.max = sender.next;
    sender.rtoDeadline = now + sender.rto.rtoNanos();
  }

  void takeSynOptions(TcpSegment syn) {
    receiver.takeSynOptions(syn);
    if (receiver.scaling) {
      sender.windowShift = syn.windowScale;
    }
    int peerMss = syn.mss >= 0 ? syn.mss : 536;
    int segmentData = Math.min(peerMss, config.announcedMss())
        - (receiver.timestamps ? TcpSegment.TIMESTAMP_BLOCK : 0);
    sender.start(Math.max(64, segmentData));
  }

  // ---- segment arrival (the device's delivery thread) ----

  synchronized void onSegment(TcpSegment s, long now) {
    State before = state;
    int freeBefore = sender.buffer.free();
    timers.heard(now);
    if (state == State.SYN_SENT) {
      arrival.inSynSent(s, now);
    } else if (state != State.CLOSED) {
      arrival.synchronizedArrival(s, now);
    }
    if (state != before || s.dataLength > 0 || writeSpaceOpened(freeBefore)) {
      wake();
    }
  }

  /**
   * Writers are woken when half the send buffer is free again, not by every ACK (as Linux's
   * {@code sk_stream_write_space} does): a wake-up per ACK cost a thread hand-off (and a selector
   * wake-up for a pump) per two segments, for a writer that then found room for two segments.
   * Nothing is lost: a writer waits only after it filled the buffer, and with no new writes the
   * free space only grows, so it crosses the mark before the buffer drains.
   */
  private boolean writeSpaceOpened(int freeBefore) {
    int mark = sender.buffer.capacity() / 2;
    return freeBefore < mark && sender.buffer.free() >= mark;
  }

  synchronized void onHardUnreachable() {
    if (state == State.SYN_SENT) {
      terminate(new ConnectException(TcpStack.format(remoteIp) + " answered that port " + remotePort
          + " is unreachable"));
    }
  }

  // ---- timers (timer thread) ----

  synchronized void onTimer(long now) {
    timers.run(now);
  }

  // ---- output ----

  /** A pure ACK carries the highest sequence number sent: after a go-back-N SND.NXT is behind it. */
  void sendAck() {
    emit(sender.max, TcpSegment.ACK, 0, 0);
  }

  /** Builds one segment with the current ACK, window and timestamps and hands it to the stack. */
  boolean emit(int seq, int flags, int bufferOffset, int dataLength) {
    boolean syn = (flags & TcpSegment.SYN) != 0;
    int mssOption = syn ? config.announcedMss() : -1;
    int scaleOption = syn ? receiver.scaleOption() : -1;
    int ack = (flags & TcpSegment.ACK) != 0 ? received.next() : 0;
    int window = receiver.advertiseWindow(syn);
    boolean timestamps = receiver.timestamps;
    int dataStart = TcpSegment.dataStart(mssOption, scaleOption, timestamps);
    if (dataLength > 0) {
      sender.buffer.copy(bufferOffset, packet, dataStart, dataLength);
    }
    int length = TcpSegment.write(packet, stack.localIp(), remoteIp, localPort, remotePort, seq, ack, flags, window,
        mssOption, scaleOption, timestamps, receiver.timestampNow(stack.now()), receiver.tsRecent, dataLength);
    if ((flags & TcpSegment.ACK) != 0) {
      receiver.ackSent(ack);
    }
    return stack.transmit(packet, length);
  }

  // ---- application side ----

  public synchronized State state() {
    return state;
  }

  /** Why the connection failed, or null; read under the connection's monitor. */
  IOException error() {
    return error;
  }

  /** Gives up a connection attempt that took too long (the caller holds the monitor). */
  void abandon() {
    abortWithReset(null);
  }

  /**
   * Copies up to {@code length} received bytes without blocking: the count, 0 when none are
   * ready yet, -1 at the end of the stream (the peer's FIN).
   */
  public synchronized int tryRead(byte[] b, int offset, int length) throws IOException {
    int n = received.read(b, offset, length);
    if (n > 0) {
      maybeSendWindowUpdate();
      return n;
    }
    if (error != null) {
      throw error;
    }
    if (applicationClosed) {
      throw new SocketException("the connection was closed by this application");
    }
    return receiver.finReceived || state == State.CLOSED ? -1 : 0;
  }

  private void maybeSendWindowUpdate() {
    boolean receiving = state == State.ESTABLISHED || state == State.FIN_WAIT_1 || state == State.FIN_WAIT_2;
    if (receiving && receiver.windowUpdateDue()) {
      sendAck();
    }
  }

  /** Queues up to {@code length} bytes without blocking; returns how many the send buffer took. */
  public synchronized int tryWrite(byte[] b, int offset, int length) throws IOException {
    if (error != null) {
      throw error;
    }
    if (sender.finQueued || applicationClosed) {
      throw new SocketException("output is shut down; no more writes on this connection");
    }
    if (state != State.ESTABLISHED && state != State.CLOSE_WAIT) {
      throw new SocketException("connection is " + state + "; writes need ESTABLISHED");
    }
    int n = sender.buffer.write(b, offset, length);
    if (n < length) {
      sender.writerWaited = true;
    }
    if (n > 0) {
      sender.output(stack.now());
    }
    return n;
  }

  /** Half-close: sends a FIN after the queued data; reading continues (RFC 9293 section 3.10.4). */
  public synchronized void shutdownOutput() {
    if (state == State.SYN_SENT || state == State.SYN_RECEIVED) {
      abortWithReset(null);
      return;
    }
    if (sender.finQueued || (state != State.ESTABLISHED && state != State.CLOSE_WAIT)) {
      return;
    }
    sender.queueFin();
    state = state == State.ESTABLISHED ? State.FIN_WAIT_1 : State.LAST_ACK;
    sender.output(stack.now());
  }

  /**
   * Closes both directions. Unread received data makes it an abort with RST (RFC 1122 section
   * 4.2.2.13), otherwise a FIN follows the queued data.
   */
  public synchronized void close() {
    if (state == State.CLOSED) {
      received.release();
      return;
    }
    if (received.readable() > 0 || state == State.SYN_SENT || state == State.SYN_RECEIVED) {
      abortWithReset(null);
      return;
    }
    applicationClosed = true;
    shutdownOutput();
    if (state == State.FIN_WAIT_2) {
      timers.startFinWait2(stack.now());
    }
    wake();
  }

  /** Aborts with RST (RFC 9293 section 3.10.5); {@code cause} is reported to readers and writers. */
  public synchronized void abort() {
    abortWithReset(null);
  }

  void abortWithReset(IOException cause) {
    if (state != State.CLOSED && state != State.SYN_SENT && state != State.TIME_WAIT) {
      stack.sendReset(remoteIp, remotePort, localPort, sender.next, 0, false);
    }
    applicationClosed = true;
    terminate(cause == null ? new SocketException("connection aborted") : cause);
    received.release();
  }

  void terminate(IOException cause) {
    if (cause != null && error == null) {
      error = cause;
    }
    boolean wasHalfOpen = state == State.SYN_RECEIVED;
    state = State.CLOSED;
    sender.rtoDeadline = 0;
    sender.persistDeadline = 0;
    receiver.cancelDelayedAck();
    sender.buffer.release();
    if (applicationClosed || cause != null) {
      received.release();
    }
    stack.remove(this, wasHalfOpen);
    wake();
  }

  /**
   * Also tells {@code listener} whenever blocked readers and writers are woken (data, buffer space,
   * a state change or an error), on the thread that changed the connection and holding its
   * monitor: it must not block. For one thread driving many connections without blocking.
   */
  public synchronized void onReadiness(Runnable listener) {
    this.readinessListener = listener;
  }

  void wake() {
    notifyAll();
    if (readinessListener != null) {
      readinessListener.run();
    }
  }

  public int localPort() {
    return localPort;
  }

  public int remoteIp() {
    return remoteIp;
  }

  public int remotePort() {
    return remotePort;
  }

  /** Bytes received and not read yet. */
  public synchronized int available() {
    return received.readable();
  }

  /** The peer as {@code ip:port}, for messages. */
  String peerName() {
    return TcpStack.format(remoteIp) + ":" + remotePort;
  }

  @Override
  public String toString() {
    return "tcp " + localPort + " <-> " + peerName();
  }
}
