package io.partynet.spi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * STUN and TURN servers a control plane hands to this peer, with a TURN credential valid until
 * {@link #expiresAt()}. Held in memory only: never persist the password. Immutable and
 * thread-safe; {@link #toString()} hides the passwords.
 *
 * @param stunServers {@code HOST:PORT} (IPv6 as {@code [ADDR]:PORT})
 * @param turnServers TURN servers with the credential for this peer
 * @param expiresAt when the TURN credentials stop working
 */
public record IceServers(List<String> stunServers, List<TurnServer> turnServers, Instant expiresAt) {
  public IceServers {
    stunServers = List.copyOf(Objects.requireNonNull(stunServers, "stunServers"));
    turnServers = List.copyOf(Objects.requireNonNull(turnServers, "turnServers"));
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /** One TURN server ({@code HOST:PORT}) and the short-lived credential for it. */
  public record TurnServer(String address, String username, String password) {
    public TurnServer {
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
      return "TurnServer[address=" + address + ", username=" + username + ", password=<hidden>]";
    }
  }
}
