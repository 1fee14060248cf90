package io.partynet.wireguard.embedded.internal.stack.tcp;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;

/**
 * One TCP connection (RFC 9293): the state machine of section 3.3.2 driven by segment arrivals
 * (section 3.10.7), timers (section 3.10.8) and application calls (sections 3.10.1-3.10.6).
 * The receiving half lives here (receive buffer with out-of-order ranges, delayed ACKs, window
 * advertisement with receiver-side silly window avoidance, timestamps); the sending half is a
 * {@link TcpSender}. The connection's monitor guards all state: arrivals run on the device's
 * receive thread, timers on the stack's timer thread, and applications block on the monitor.
 */
public final class TcpConnection {
  /** RFC 9293 section 3.3.2; LISTEN belongs to {@link TcpListener}. */
  public enum State { SYN_SENT, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK,
    TIME_WAIT, CLOSED }

  private final TcpStack stack;
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
  private final ReceiveBuffer receiver;
  private final int timestampOffset;
  private State state;
  private int receiveShift;
  private boolean scaling;
  private boolean timestamps;
  private int tsRecent;
  private int lastAckSent;
  private int advertisedEdge;
  private boolean finReceived;
  private int segmentsSinceAck;
  private long delayedAckDeadline;
  private long lastHeardNanos;
  private int keepAliveProbesSent;
  private long timeWaitDeadline;
  private long finWait2Deadline;
  private IOException error;
  private boolean applicationClosed;
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
    this.sender = new TcpSender((seq, flags, offset, length) -> emit(seq, flags, offset, length), config.sendBufferBytes(), iss, config.minRto().toNanos());
    this.receiver = new ReceiveBuffer(config.receiveBufferBytes(), 0);
    this.timestampOffset = timestampOffset;
    this.lastHeardNanos = now;
    int shift = 0;
    while ((config.receiveBufferBytes() >> shift) > 65535) {
      shift++;
    }
    this.receiveShift = shift;
  }

  /** Active open (RFC 9293 section 3.10.1): sends the SYN; false when no route leads to the peer. */
  synchronized boolean open(long now) {
    state = State.SYN_SENT;
    scaling = true;
    timestamps = true;
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
    receiver.reset(syn.seq + 1);
    sender.window = syn.window;
    sender.wl1 = syn.seq;
    sender.wl2 = sender.iss;
    emit(sender.iss, TcpSegment.SYN | TcpSegment.ACK, 0, 0);
    sender.next = sender.iss + 1;
    sender.max = sender.next;
    sender.rtoDeadline = now + sender.rto.rtoNanos();
  }

  private void takeSynOptions(TcpSegment syn) {
    scaling = syn.windowScale >= 0;
    if (scaling) {
      sender.windowShift = syn.windowScale;
    } else {
      receiveShift = 0;
    }
    timestamps = syn.hasTimestamp;
    if (timestamps) {
      tsRecent = syn.tsVal;
    }
    int peerMss = syn.mss >= 0 ? syn.mss : 536;
    int segmentData = Math.min(peerMss, config.announcedMss()) - (timestamps ? TcpSegment.TIMESTAMP_BLOCK : 0);
    sender.start(Math.max(64, segmentData));
  }

  // ---- segment arrival (receive thread) ----

  synchronized void onSegment(TcpSegment s, long now) {
    State before = state;
    lastHeardNanos = now;
    keepAliveProbesSent = 0;
    if (state == State.SYN_SENT) {
      onSegmentInSynSent(s, now);
    } else if (state != State.CLOSED) {
      onSegmentSynchronized(s, now);
    }
    if (state != before || s.dataLength > 0 || s.has(TcpSegment.ACK)) {
      wake();
    }
  }

  private void onSegmentInSynSent(TcpSegment s, long now) {
    boolean ackOk = s.has(TcpSegment.ACK);
    if (ackOk && (Seq.le(s.ack, sender.iss) || Seq.gt(s.ack, sender.max))) {
      if (!s.has(TcpSegment.RST)) {
        stack.sendReset(remoteIp, remotePort, localPort, s.ack, 0, false);
      }
      return;
    }
    if (s.has(TcpSegment.RST)) {
      if (ackOk) {
        terminate(new ConnectException("connection refused by " + TcpStack.format(remoteIp) + ":" + remotePort));
      }
      return;
    }
    if (!s.has(TcpSegment.SYN)) {
      return;
    }
    takeSynOptions(s);
    receiver.reset(s.seq + 1);
    if (ackOk) {
      sender.una = s.ack;
      sender.rtoDeadline = 0;
      sender.window = s.window;
      sender.wl1 = s.seq;
      sender.wl2 = s.ack;
      if (timestamps && s.tsEcr != 0) {
        sender.rto.sample((long) (timestampNow(now) - s.tsEcr) * 1_000_000L);
      }
      state = State.ESTABLISHED;
      sendAck();
    } else {
      state = State.SYN_RECEIVED;
      emit(sender.iss, TcpSegment.SYN | TcpSegment.ACK, 0, 0);
    }
  }

  private void onSegmentSynchronized(TcpSegment s, long now) {
    if (timestamps && s.hasTimestamp && !s.has(TcpSegment.RST) && Seq.lt(s.tsVal, tsRecent)) {
      stack.counters().tcpOutOfWindow.incrementAndGet();
      sendAck();
      return;
    }
    if (!acceptable(s)) {
      stack.counters().tcpOutOfWindow.incrementAndGet();
      if (!s.has(TcpSegment.RST)) {
        sendAck();
      }
      return;
    }
    if (s.has(TcpSegment.RST)) {
      if (s.seq == receiver.next()) {
        terminate(state == State.SYN_RECEIVED && listener != null ? null
            : new SocketException("connection reset by " + TcpStack.format(remoteIp) + ":" + remotePort));
      } else {
        sendAck();
      }
      return;
    }
    if (s.has(TcpSegment.SYN)) {
      sendAck();
      return;
    }
    if (!s.has(TcpSegment.ACK)) {
      return;
    }
    if (timestamps && s.hasTimestamp && Seq.le(s.seq, lastAckSent)) {
      tsRecent = s.tsVal;
    }
    if (state == State.SYN_RECEIVED) {
      if (!Seq.gt(s.ack, sender.una) || Seq.gt(s.ack, sender.max)) {
        stack.sendReset(remoteIp, remotePort, localPort, s.ack, 0, false);
        return;
      }
      if (listener != null && !listener.hasRoom()) {
        return;
      }
      sender.una = s.ack;
      sender.rtoDeadline = 0;
      state = State.ESTABLISHED;
      if (listener != null) {
        listener.established(this);
      }
    }
    if (!sender.onAck(s, now, timestampNow(now), timestamps)) {
      sendAck();
      return;
    }
    if (sender.finAcknowledged()) {
      if (state == State.FIN_WAIT_1) {
        state = State.FIN_WAIT_2;
        if (applicationClosed) {
          finWait2Deadline = now + config.finWait2Timeout().toNanos();
        }
      } else if (state == State.CLOSING) {
        enterTimeWait(now);
      } else if (state == State.LAST_ACK) {
        terminate(null);
        return;
      }
    }
    if (state == State.TIME_WAIT) {
      if (s.has(TcpSegment.FIN)) {
        sendAck();
        timeWaitDeadline = now + 2 * config.maxSegmentLifetime().toNanos();
      }
      return;
    }
    receiveData(s, now);
    sender.output(now);
  }

  /** RFC 9293 section 3.10.7.4, first check: does the segment overlap the receive window? */
  private boolean acceptable(TcpSegment s) {
    int length = s.sequenceLength();
    int next = receiver.next();
    int window = receiver.window();
    if (length == 0) {
      return window == 0 ? s.seq == next : Seq.inRange(s.seq, next, next + window);
    }
    return window != 0
        && (Seq.inRange(s.seq, next, next + window) || Seq.inRange(s.seq + length - 1, next, next + window));
  }

  /** Sixth to eighth checks: the data and the FIN. */
  private void receiveData(TcpSegment s, long now) {
    boolean receiving = state == State.ESTABLISHED || state == State.FIN_WAIT_1 || state == State.FIN_WAIT_2;
    if (s.dataLength > 0 && receiving) {
      if (applicationClosed) {
        abortWithReset(null);
        return;
      }
      boolean inOrder = s.seq == receiver.next() && !receiver.hasOutOfOrderData();
      int advanced = receiver.store(s.seq, s.buffer, s.dataOffset, s.dataLength);
      if (!inOrder || advanced == 0) {
        sendAck();
      } else if (++segmentsSinceAck >= 2) {
        sendAck();
      } else if (delayedAckDeadline == 0) {
        delayedAckDeadline = now + config.delayedAck().toNanos();
      }
    }
    if (s.has(TcpSegment.FIN) && receiving && s.seq + s.dataLength == receiver.next() && !finReceived) {
      finReceived = true;
      receiver.advancePastControl();
      if (state == State.ESTABLISHED) {
        state = State.CLOSE_WAIT;
      } else if (state == State.FIN_WAIT_1) {
        state = sender.finAcknowledged() ? State.TIME_WAIT : State.CLOSING;
      } else {
        state = State.TIME_WAIT;
      }
      sendAck();
      if (state == State.TIME_WAIT) {
        enterTimeWait(now);
      }
    }
  }

  private void enterTimeWait(long now) {
    state = State.TIME_WAIT;
    timeWaitDeadline = now + 2 * config.maxSegmentLifetime().toNanos();
    sender.rtoDeadline = 0;
    sender.persistDeadline = 0;
    sender.buffer.release();
  }

  synchronized void onHardUnreachable() {
    if (state == State.SYN_SENT) {
      terminate(new ConnectException(TcpStack.format(remoteIp) + " answered that port " + remotePort
          + " is unreachable"));
    }
  }

  // ---- timers (timer thread) ----

  synchronized void onTimer(long now) {
    State before = state;
    if (state == State.CLOSED) {
      return;
    }
    if (state == State.TIME_WAIT) {
      if (now - timeWaitDeadline >= 0) {
        terminate(null);
      }
      return;
    }
    if (state == State.FIN_WAIT_2 && finWait2Deadline != 0 && now - finWait2Deadline >= 0) {
      terminate(null);
      return;
    }
    if (sender.rtoDeadline != 0 && now - sender.rtoDeadline >= 0 && !onRetransmissionTimeout(now)) {
      wake();
      return;
    }
    if (sender.persistDeadline != 0 && now - sender.persistDeadline >= 0) {
      sender.onPersistTimeout(now);
    }
    if (delayedAckDeadline != 0 && now - delayedAckDeadline >= 0) {
      sendAck();
    }
    keepAlive(now);
    if (state != before) {
      wake();
    }
  }

  /** Returns false when the connection gave up. */
  private boolean onRetransmissionTimeout(long now) {
    boolean handshake = state == State.SYN_SENT || state == State.SYN_RECEIVED;
    int limit = handshake ? config.synRetransmissions() : config.maxRetransmissions();
    if (sender.consecutiveTimeouts >= limit) {
      String peer = TcpStack.format(remoteIp) + ":" + remotePort;
      terminate(state == State.SYN_SENT ? new SocketTimeoutException("no answer from " + peer + " to "
          + (limit + 1) + " SYNs; is the peer online and the port open?")
          : state == State.SYN_RECEIVED ? null
          : new SocketTimeoutException(peer + " acknowledged nothing through " + limit + " retransmissions"));
      return false;
    }
    if (handshake) {
      sender.consecutiveTimeouts++;
      sender.rto.backOff();
      emit(sender.iss, state == State.SYN_SENT ? TcpSegment.SYN : TcpSegment.SYN | TcpSegment.ACK, 0, 0);
      sender.rtoDeadline = now + sender.rto.rtoNanos();
    } else {
      stack.counters().tcpRetransmissionTimeouts.incrementAndGet();
      sender.onRetransmissionTimeout(now);
    }
    return true;
  }

  /** RFC 1122 section 4.2.3.6: probe an idle connection, give up after unanswered probes. */
  private void keepAlive(long now) {
    long idle = config.keepAliveIdle().toNanos();
    if (idle <= 0 || (state != State.ESTABLISHED && state != State.CLOSE_WAIT) || sender.flight() != 0) {
      return;
    }
    long silent = now - lastHeardNanos;
    if (silent >= idle + keepAliveProbesSent * config.keepAliveInterval().toNanos()) {
      if (keepAliveProbesSent >= config.keepAliveProbes()) {
        terminate(new SocketTimeoutException(TcpStack.format(remoteIp) + ":" + remotePort + " answered none of "
            + keepAliveProbesSent + " keep-alive probes; the peer is gone"));
        return;
      }
      keepAliveProbesSent++;
      emit(sender.una - 1, TcpSegment.ACK, 0, 0);
    }
  }

  // ---- output ----

  /** A pure ACK carries the highest sequence number sent: after a go-back-N SND.NXT is behind it. */
  private void sendAck() {
    emit(sender.max, TcpSegment.ACK, 0, 0);
  }

  /** Builds one segment with the current ACK, window and timestamps and hands it to the stack. */
  private boolean emit(int seq, int flags, int bufferOffset, int dataLength) {
    boolean syn = (flags & TcpSegment.SYN) != 0;
    int mssOption = syn ? config.announcedMss() : -1;
    int scaleOption = syn && scaling ? receiveShift : -1;
    int ack = (flags & TcpSegment.ACK) != 0 ? receiver.next() : 0;
    int window = advertiseWindow(syn);
    int dataStart = TcpSegment.dataStart(mssOption, scaleOption, timestamps);
    if (dataLength > 0) {
      sender.buffer.copy(bufferOffset, packet, dataStart, dataLength);
    }
    int length = TcpSegment.write(packet, stack.localIp(), remoteIp, localPort, remotePort, seq, ack, flags, window,
        mssOption, scaleOption, timestamps, timestampNow(stack.now()), tsRecent, dataLength);
    if ((flags & TcpSegment.ACK) != 0) {
      lastAckSent = ack;
      delayedAckDeadline = 0;
      segmentsSinceAck = 0;
    }
    return stack.transmit(packet, length);
  }

  /** The window field, keeping the right edge still until it can move by a useful amount (RFC 9293 3.8.6.2.2). */
  private int advertiseWindow(boolean syn) {
    int next = receiver.next();
    int free = receiver.window();
    if (syn) {
      advertisedEdge = next + Math.min(free, 65535);
      return Math.min(free, 65535);
    }
    int edge = next + free;
    int threshold = Math.min(receiver.capacity() / 2, config.announcedMss());
    if (Seq.gt(edge, advertisedEdge) && edge - advertisedEdge < threshold && Seq.ge(advertisedEdge, next)) {
      edge = advertisedEdge;
    }
    int scaled = Math.min((edge - next) >>> receiveShift, 65535);
    advertisedEdge = Seq.max(advertisedEdge, next + (scaled << receiveShift));
    return scaled;
  }

  private int timestampNow(long now) {
    return (int) (now / 1_000_000L) + timestampOffset;
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
    int n = receiver.read(b, offset, length);
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
    return finReceived || state == State.CLOSED ? -1 : 0;
  }

  private void maybeSendWindowUpdate() {
    if (state == State.ESTABLISHED || state == State.FIN_WAIT_1 || state == State.FIN_WAIT_2) {
      int potentialEdge = receiver.next() + receiver.window();
      int threshold = Math.min(receiver.capacity() / 2, config.announcedMss());
      if (potentialEdge - advertisedEdge >= threshold) {
        sendAck();
      }
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
      receiver.release();
      return;
    }
    if (receiver.readable() > 0 || state == State.SYN_SENT || state == State.SYN_RECEIVED) {
      abortWithReset(null);
      return;
    }
    applicationClosed = true;
    shutdownOutput();
    if (state == State.FIN_WAIT_2) {
      finWait2Deadline = stack.now() + config.finWait2Timeout().toNanos();
    }
    wake();
  }

  /** Aborts with RST (RFC 9293 section 3.10.5); {@code cause} is reported to readers and writers. */
  public synchronized void abort() {
    abortWithReset(null);
  }

  private void abortWithReset(IOException cause) {
    if (state != State.CLOSED && state != State.SYN_SENT && state != State.TIME_WAIT) {
      stack.sendReset(remoteIp, remotePort, localPort, sender.next, 0, false);
    }
    applicationClosed = true;
    terminate(cause == null ? new SocketException("connection aborted") : cause);
    receiver.release();
  }

  private void terminate(IOException cause) {
    if (cause != null && error == null) {
      error = cause;
    }
    boolean wasHalfOpen = state == State.SYN_RECEIVED;
    state = State.CLOSED;
    sender.rtoDeadline = 0;
    sender.persistDeadline = 0;
    delayedAckDeadline = 0;
    sender.buffer.release();
    if (applicationClosed || cause != null) {
      receiver.release();
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

  private void wake() {
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
    return receiver.readable();
  }

  @Override
  public String toString() {
    return "tcp " + localPort + " <-> " + TcpStack.format(remoteIp) + ":" + remotePort;
  }
}
