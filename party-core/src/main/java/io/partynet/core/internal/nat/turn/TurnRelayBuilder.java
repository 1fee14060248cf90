package io.partynet.core.internal.nat.turn;

import io.partynet.Endpoint;
import io.partynet.core.internal.nat.discovery.StunTiming;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Supplier;

/** Options of a {@link TurnRelay}. Not thread-safe; build once. */
public final class TurnRelayBuilder {
  final Endpoint server;
  final Supplier<TurnLease> credentials;
  StunTiming timing = TurnClient.DEFAULT_TIMING;
  Clock clock = Clock.systemUTC();
  int wireGuardPort;
  TurnRelay.Signalling signalling;

  TurnRelayBuilder(Endpoint server, Supplier<TurnLease> credentials) {
    this.server = Objects.requireNonNull(server, "server");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
  }

  /** The local WireGuard interface's UDP listen port, where forwarders deliver relayed packets. */
  public TurnRelayBuilder wireGuardPort(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("WireGuard port must be 1..65535: " + port);
    }
    this.wireGuardPort = port;
    return this;
  }

  public TurnRelayBuilder signalling(TurnRelay.Signalling s) {
    this.signalling = Objects.requireNonNull(s, "signalling");
    return this;
  }

  /** Retransmission of TURN requests (default {@link TurnClient#DEFAULT_TIMING}). */
  public TurnRelayBuilder timing(StunTiming t) {
    this.timing = Objects.requireNonNull(t, "timing");
    return this;
  }

  /** The clock credential expiries are compared with (default: the system's UTC clock). */
  public TurnRelayBuilder clock(Clock c) {
    this.clock = Objects.requireNonNull(c, "clock");
    return this;
  }

  /** Builds the relay; nothing is sent until the first {@link TurnRelay#open}. */
  public TurnRelay build() {
    if (wireGuardPort == 0) {
      throw new IllegalStateException("set the WireGuard listen port with wireGuardPort(...)");
    }
    return new TurnRelay(this);
  }
}
