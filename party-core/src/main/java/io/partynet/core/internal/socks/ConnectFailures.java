package io.partynet.core.internal.socks;

import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;

/** Which RFC 1928 reply tells a client why {@code PartyNetwork.connect} failed. Stateless. */
final class ConnectFailures {
  private ConnectFailures() {}

  static SocksReply replyFor(Throwable failure) {
    if (failure instanceof ConnectException) {
      return SocksReply.CONNECTION_REFUSED;
    }
    if (failure instanceof NoRouteToHostException || failure instanceof SocketTimeoutException) {
      return SocksReply.HOST_UNREACHABLE;
    }
    if (failure instanceof BindException) {
      return SocksReply.GENERAL_FAILURE; // no local port or connection slot left on this member
    }
    if (failure instanceof SocketException) {
      return SocksReply.NETWORK_UNREACHABLE; // the interface is down
    }
    return SocksReply.GENERAL_FAILURE;
  }
}
