package io.partynet.wireguard.embedded.internal.stack.tcp;

import io.partynet.wireguard.embedded.internal.stack.tcp.TcpConnection.State;
import java.net.SocketTimeoutException;

/**
 * A {@link TcpConnection}'s timers (RFC 9293 section 3.10.8), run by the stack's timer thread
 * under the connection's monitor: retransmission (RFC 6298) including the handshake's SYN and
 * SYN-ACK, the zero-window probe, the delayed ACK, keep-alive (RFC 1122 section 4.2.3.6),
 * TIME_WAIT's 2 MSL and the FIN_WAIT_2 give-up for connections the application closed.
 */
final class ConnectionTimers {
  private final TcpConnection connection;
  private final TcpConfig config;
  private final TcpSender sender;
  private long timeWaitDeadline;
  private long finWait2Deadline;
  private long lastHeardNanos;
  private int keepAliveProbesSent;

  ConnectionTimers(TcpConnection connection, TcpConfig config, TcpSender sender, long now) {
    this.connection = connection;
    this.config = config;
    this.sender = sender;
    this.lastHeardNanos = now;
  }

  /** Any segment from the peer proves it alive. */
  void heard(long now) {
    lastHeardNanos = now;
    keepAliveProbesSent = 0;
  }

  /** (Re)starts TIME_WAIT's 2 MSL. */
  void startTimeWait(long now) {
    timeWaitDeadline = now + 2 * config.maxSegmentLifetime().toNanos();
  }

  /** A FIN_WAIT_2 nobody will read from ends after the timeout even if the peer never sends its FIN. */
  void startFinWait2(long now) {
    finWait2Deadline = now + config.finWait2Timeout().toNanos();
  }

  void run(long now) {
    State before = connection.state;
    if (before == State.CLOSED) {
      return;
    }
    if (before == State.TIME_WAIT) {
      if (now - timeWaitDeadline >= 0) {
        connection.terminate(null);
      }
      return;
    }
    if (before == State.FIN_WAIT_2 && finWait2Deadline != 0 && now - finWait2Deadline >= 0) {
      connection.terminate(null);
      return;
    }
    if (sender.rtoDeadline != 0 && now - sender.rtoDeadline >= 0 && !onRetransmissionTimeout(now)) {
      connection.wake();
      return;
    }
    if (sender.persistDeadline != 0 && now - sender.persistDeadline >= 0) {
      sender.onPersistTimeout(now);
    }
    if (connection.receiver.delayedAckDue(now)) {
      connection.sendAck();
    }
    keepAlive(now);
    if (connection.state != before) {
      connection.wake();
    }
  }

  /** Returns false when the connection gave up. */
  private boolean onRetransmissionTimeout(long now) {
    State state = connection.state;
    boolean handshake = state == State.SYN_SENT || state == State.SYN_RECEIVED;
    int limit = handshake ? config.synRetransmissions() : config.maxRetransmissions();
    if (sender.consecutiveTimeouts >= limit) {
      String peer = connection.peerName();
      connection.terminate(state == State.SYN_SENT ? new SocketTimeoutException("no answer from " + peer + " to "
          + (limit + 1) + " SYNs; is the peer online and the port open?")
          : state == State.SYN_RECEIVED ? null
          : new SocketTimeoutException(peer + " acknowledged nothing through " + limit + " retransmissions"));
      return false;
    }
    if (handshake) {
      sender.consecutiveTimeouts++;
      sender.rto.backOff();
      connection.emit(sender.iss, state == State.SYN_SENT ? TcpSegment.SYN : TcpSegment.SYN | TcpSegment.ACK, 0, 0);
      sender.rtoDeadline = now + sender.rto.rtoNanos();
    } else {
      connection.stack.counters().tcpRetransmissionTimeouts.incrementAndGet();
      sender.onRetransmissionTimeout(now);
    }
    return true;
  }

  /** RFC 1122 section 4.2.3.6: probe an idle connection, give up after unanswered probes. */
  private void keepAlive(long now) {
    long idle = config.keepAliveIdle().toNanos();
    State state = connection.state;
    if (idle <= 0 || (state != State.ESTABLISHED && state != State.CLOSE_WAIT) || sender.flight() != 0) {
      return;
    }
    long silent = now - lastHeardNanos;
    if (silent >= idle + keepAliveProbesSent * config.keepAliveInterval().toNanos()) {
      if (keepAliveProbesSent >= config.keepAliveProbes()) {
        connection.terminate(new SocketTimeoutException(connection.peerName() + " answered none of "
            + keepAliveProbesSent + " keep-alive probes; the peer is gone"));
        return;
      }
      keepAliveProbesSent++;
      connection.emit(sender.una - 1, TcpSegment.ACK, 0, 0);
    }
  }
}
