package io.partynet.protocol.internal;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Answer to {@code GET /v1/ice-servers}: the STUN servers a peer should use, and the TURN servers
 * with a credential made for that peer alone (the TURN REST API scheme: username
 * {@code expiry:peerId}, password derived from the server's secret, which never travels). The
 * credential stops working at {@code expiresAt}; fetch a new one before. Immutable and thread-safe;
 * {@link #toString()} hides the passwords.
 */
public record IceServersResponse(List<String> stun, List<TurnServer> turn, Instant expiresAt) {
  /** At most this many servers of each kind in one answer. */
  public static final int MAX_SERVERS = 8;
  private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9.:\\[\\]-]{1,255}:[0-9]{1,5}");

  public IceServersResponse {
    stun = List.copyOf(Objects.requireNonNull(stun, "stun"));
    turn = List.copyOf(Objects.requireNonNull(turn, "turn"));
    Objects.requireNonNull(expiresAt, "expiresAt");
    if (stun.size() > MAX_SERVERS || turn.size() > MAX_SERVERS) {
      throw new IllegalArgumentException("at most " + MAX_SERVERS + " STUN and " + MAX_SERVERS + " TURN servers");
    }
    stun.forEach(IceServersResponse::requireHostPort);
  }

  static String requireHostPort(String address) {
    if (address == null || !HOST_PORT.matcher(address).matches()) {
      throw new IllegalArgumentException("a server address must be HOST:PORT");
    }
    return address;
  }

  @Override
  public String toString() {
    return "IceServersResponse[stun=" + stun + ", turn=" + turn + ", expiresAt=" + expiresAt + "]";
  }

  /** One TURN server and the time-limited credential for it. */
  public record TurnServer(String address, String username, String password) {
    private static final int MAX_CREDENTIAL = 512;

    public TurnServer {
      requireHostPort(address);
      if (username == null || username.isEmpty() || username.length() > MAX_CREDENTIAL) {
        throw new IllegalArgumentException("username must be 1.." + MAX_CREDENTIAL + " characters");
      }
      if (password == null || password.isEmpty() || password.length() > MAX_CREDENTIAL) {
        throw new IllegalArgumentException("password must be 1.." + MAX_CREDENTIAL + " characters");
      }
    }

    @Override
    public String toString() {
      return "TurnServer[address=" + address + ", username=" + username + ", password=<hidden>]";
    }
  }
}
