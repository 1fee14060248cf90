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
  /**
   * Checks the components and copies the lists.
   *
   * @param stunServers {@code HOST:PORT} (IPv6 as {@code [ADDR]:PORT}); copied
   * @param turnServers TURN servers with the credential for this peer; copied
   * @param expiresAt when the TURN credentials stop working
   * @throws NullPointerException when an argument is null or a list holds null
   */
  public IceServers {
    stunServers = List.copyOf(Objects.requireNonNull(stunServers, "stunServers"));
    turnServers = List.copyOf(Objects.requireNonNull(turnServers, "turnServers"));
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /**
   * One TURN server ({@code HOST:PORT}) and the short-lived credential for it. Immutable and
   * thread-safe; {@link #toString()} hides the password.
   *
   * @param address the server, {@code HOST:PORT} (IPv6 as {@code [ADDR]:PORT})
   * @param username the TURN user name for this peer
   * @param password the short-lived TURN password; never log or persist it
   */
  public record TurnServer(String address, String username, String password) {
    /**
     * Checks the components.
     *
     * @param address the server, {@code HOST:PORT}
     * @param username the TURN user name for this peer
     * @param password the short-lived TURN password
     * @throws NullPointerException when any argument is null
     */
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
