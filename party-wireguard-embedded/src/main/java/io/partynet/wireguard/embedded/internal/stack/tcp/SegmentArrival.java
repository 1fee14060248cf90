package io.partynet.wireguard.embedded.internal.stack.tcp;

import io.partynet.wireguard.embedded.internal.stack.tcp.TcpConnection.State;
import java.net.ConnectException;
import java.net.SocketException;

/**
 * Segment arrival for a {@link TcpConnection} (RFC 9293 section 3.10.7), run on the device's
 * delivery thread under the connection's monitor: SYN_SENT's processing (section 3.10.7.3), then,
 * in the synchronized states, the checks in the RFC's order (section 3.10.7.4): PAWS and the
 * window, RST (with RFC 5961's challenge ACK for an in-window one), SYN, ACK, data, FIN.
 */
final class SegmentArrival {
  private final TcpConnection connection;
  private final TcpSender sender;
  private final TcpReceiver receiver;
  private final ReceiveBuffer received;
  private final TcpStack stack;
  private final ConnectionTimers timers;

  SegmentArrival(TcpConnection connection, TcpSender sender) {
    this.connection = connection;
    this.sender = sender;
    this.receiver = connection.receiver;
    this.received = connection.receiver.buffer;
    this.stack = connection.stack;
    this.timers = connection.timers;
  }

  void inSynSent(TcpSegment s, long now) {
    boolean ackOk = s.has(TcpSegment.ACK);
    if (ackOk && (Seq.le(s.ack, sender.iss) || Seq.gt(s.ack, sender.max))) {
      if (!s.has(TcpSegment.RST)) {
        stack.sendReset(connection.remoteIp, connection.remotePort, connection.localPort, s.ack, 0, false);
      }
      return;
    }
    if (s.has(TcpSegment.RST)) {
      if (ackOk) {
        connection.terminate(new ConnectException("connection refused by " + connection.peerName()));
      }
      return;
    }
    if (!s.has(TcpSegment.SYN)) {
      return;
    }
    connection.takeSynOptions(s);
    received.reset(s.seq + 1);
    if (ackOk) {
      sender.una = s.ack;
      sender.rtoDeadline = 0;
      sender.window = s.window;
      sender.wl1 = s.seq;
      sender.wl2 = s.ack;
      if (receiver.timestamps && s.tsEcr != 0) {
        sender.rto.sample((long) (receiver.timestampNow(now) - s.tsEcr) * 1_000_000L);
      }
      connection.state = State.ESTABLISHED;
      connection.sendAck();
    } else {
      connection.state = State.SYN_RECEIVED;
      connection.emit(sender.iss, TcpSegment.SYN | TcpSegment.ACK, 0, 0);
    }
  }

  void synchronizedArrival(TcpSegment s, long now) {
    if (receiver.isStale(s)) {
      stack.counters().tcpOutOfWindow.incrementAndGet();
      connection.sendAck();
      return;
    }
    if (!receiver.acceptable(s)) {
      stack.counters().tcpOutOfWindow.incrementAndGet();
      if (!s.has(TcpSegment.RST)) {
        connection.sendAck();
      }
      return;
    }
    if (s.has(TcpSegment.RST)) {
      if (s.seq == received.next()) {
        connection.terminate(connection.state == State.SYN_RECEIVED && connection.listener != null ? null
            : new SocketException("connection reset by " + connection.peerName()));
      } else {
        connection.sendAck();
      }
      return;
    }
    if (s.has(TcpSegment.SYN)) {
      connection.sendAck();
      return;
    }
    if (!s.has(TcpSegment.ACK)) {
      return;
    }
    receiver.updateTsRecent(s);
    if (connection.state == State.SYN_RECEIVED) {
      if (!Seq.gt(s.ack, sender.una) || Seq.gt(s.ack, sender.max)) {
        stack.sendReset(connection.remoteIp, connection.remotePort, connection.localPort, s.ack, 0, false);
        return;
      }
      if (connection.listener != null && !connection.listener.hasRoom()) {
        return;
      }
      sender.una = s.ack;
      sender.rtoDeadline = 0;
      connection.state = State.ESTABLISHED;
      if (connection.listener != null) {
        connection.listener.established(connection);
      }
    }
    if (!sender.onAck(s, now, receiver.timestampNow(now), receiver.timestamps)) {
      connection.sendAck();
      return;
    }
    if (sender.finAcknowledged()) {
      if (connection.state == State.FIN_WAIT_1) {
        connection.state = State.FIN_WAIT_2;
        if (connection.applicationClosed) {
          timers.startFinWait2(now);
        }
      } else if (connection.state == State.CLOSING) {
        enterTimeWait(now);
      } else if (connection.state == State.LAST_ACK) {
        connection.terminate(null);
        return;
      }
    }
    if (connection.state == State.TIME_WAIT) {
      if (s.has(TcpSegment.FIN)) {
        connection.sendAck();
        timers.startTimeWait(now);
      }
      return;
    }
    receiveData(s, now);
    sender.output(now);
    sender.growIfBufferLimited();
  }

  /** Sixth to eighth checks: the data and the FIN. */
  private void receiveData(TcpSegment s, long now) {
    boolean receiving = connection.state == State.ESTABLISHED || connection.state == State.FIN_WAIT_1 || connection.state == State.FIN_WAIT_2;
    if (s.dataLength > 0 && receiving) {
      if (connection.applicationClosed) {
        connection.abortWithReset(null);
        return;
      }
      if (receiver.storeData(s, now)) {
        connection.sendAck();
      }
    }
    if (s.has(TcpSegment.FIN) && receiving && receiver.finInSequence(s)) {
      receiver.finReceived = true;
      received.advancePastControl();
      if (connection.state == State.ESTABLISHED) {
        connection.state = State.CLOSE_WAIT;
      } else if (connection.state == State.FIN_WAIT_1) {
        connection.state = sender.finAcknowledged() ? State.TIME_WAIT : State.CLOSING;
      } else {
        connection.state = State.TIME_WAIT;
      }
      connection.sendAck();
      if (connection.state == State.TIME_WAIT) {
        enterTimeWait(now);
      }
    }
  }

  private void enterTimeWait(long now) {
    connection.state = State.TIME_WAIT;
    timers.startTimeWait(now);
    sender.rtoDeadline = 0;
    sender.persistDeadline = 0;
    sender.buffer.release();
  }
}
