package io.partynet.remote.internal;

import io.partynet.Key;
import io.partynet.PartyException;
import io.partynet.PartyException.Reason;
import io.partynet.protocol.internal.Account;
import io.partynet.protocol.internal.Protocol;
import io.partynet.protocol.internal.RegisterResponse;
import io.partynet.remote.internal.RestTransport.Call;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token of a {@link RemoteControlPlaneClient}: reuses the one saved in the {@link TokenStore}
 * while the server accepts it, otherwise registers the peer, and registers again when the server
 * refuses the token in the middle of a call. Thread-safe.
 */
final class RemoteAuthenticator {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteAuthenticator.class);

  private final RestTransport rest;
  private final ServerList servers;
  private final TokenStore tokens;
  /** The private key of a public key, read only when registering (to prove possession); never sent. */
  private final Function<Key, Key> keyring;
  private final Object authLock = new Object();
  private volatile String peerId;
  private volatile Key publicKey;
  private volatile String token;

  RemoteAuthenticator(RestTransport rest, ServerList servers, TokenStore tokens, Function<Key, Key> keyring) {
    this.rest = rest;
    this.servers = servers;
    this.tokens = tokens;
    this.keyring = keyring;
  }

  /** Who this client authenticates as; set by {@code start} before the first {@link #authenticate}. */
  void identity(String peerId, Key publicKey) {
    this.peerId = peerId;
    this.publicKey = publicKey;
  }

  String peerId() {
    return peerId;
  }

  /** The current token, or null before the first successful {@link #authenticate}. */
  String token() {
    return token;
  }

  /**
   * Makes sure {@link #token} is valid: reuses a saved token when the server still accepts it,
   * otherwise registers. {@code once} limits every call to one attempt (start must fail fast).
   */
  void authenticate(boolean once) {
    synchronized (authLock) {
      Optional<String> saved = token != null ? Optional.of(token) : tokens.load(servers.primary().toString(), peerId);
      if (saved.isPresent()) {
        try {
          Call me = Call.of("GET", Protocol.ME, null, saved.get(), true);
          Account account = rest.execute(once ? me.once() : me, Account.class);
          if (account.peerId().equals(peerId) && publicKey.toBase64().equals(account.publicKey())) {
            token = saved.get();
            return;
          }
          LOG.info("saved control-plane token belongs to another identity; registering again");
        } catch (PartyException e) {
          if (e.reason() != Reason.UNAUTHORIZED) {
            throw e;
          }
          LOG.info("the control plane server no longer knows this peer's token; registering again");
        }
      }
      register(once);
    }
  }

  /** Registers the peer and makes the new token current (the old one stays current until then). */
  private void register(boolean once) {
    Call register = Call.of("POST", Protocol.PEERS, KeyPossession.provenRegistration(rest, keyring, peerId, publicKey, once), null, false);
    RegisterResponse answer = rest.execute(once ? register.once() : register, RegisterResponse.class);
    token = answer.token();
    tokens.save(servers.primary().toString(), peerId, answer.token());
  }

  interface AuthedCall<T> {
    T call(String token);
  }

  /**
   * Runs {@code call} with the token; when the server refuses it, registers again and retries once.
   * The token is never cleared on the way: a call made meanwhile on another thread uses the refused
   * token, is refused too and waits for the new one (clearing it made such a call fail with "not
   * started", and a failed registration left every later call failing so).
   */
  <T> T authed(AuthedCall<T> call) {
    String t = token;
    if (t == null) {
      throw PartyException.of(Reason.INVALID_ARGUMENT, "the remote control plane is not started: call start() first");
    }
    try {
      return call.call(t);
    } catch (PartyException e) {
      if (e.reason() != Reason.UNAUTHORIZED) {
        throw e;
      }
      synchronized (authLock) {
        if (t.equals(token)) {
          LOG.info("the control plane server refused this peer's token; registering again");
          register(false);
        }
      }
      return call.call(token);
    }
  }
}
