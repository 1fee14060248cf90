package io.partynet.core.internal.nat.turn;

import io.partynet.core.internal.nat.discovery.StunTiming;
import io.partynet.core.internal.nat.stun.AttributeType;
import io.partynet.core.internal.nat.stun.MessageClass;
import io.partynet.core.internal.nat.stun.StunAttribute;
import io.partynet.core.internal.nat.stun.StunEncoder;
import io.partynet.core.internal.nat.stun.StunIntegrity;
import io.partynet.core.internal.nat.stun.StunMessage;
import io.partynet.core.internal.nat.stun.TransactionId;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TurnClient}'s requests to its server (RFC 8656 section 9, RFC 8489 sections 6.2.1 and
 * 9.2): each is retransmitted on the {@link StunTiming} schedule until its response arrives,
 * and authenticated with the long-term credential once the server challenged us (401 with REALM
 * and NONCE; 438 Stale Nonce answered with the new nonce). A response is matched to its request
 * by transaction id and, when it carries MESSAGE-INTEGRITY, must verify with our key.
 *
 * <p>Thread-safe. Futures fail with {@link TurnException}.
 */
final class TurnTransactions {
  private static final Logger LOG = LoggerFactory.getLogger(TurnTransactions.class);
  private static final int MAX_AUTH_ROUNDS = 3;

  private final DatagramChannel channel;
  private final InetSocketAddress server;
  private final TurnCredentials credentials;
  private final StunTiming timing;
  private final ScheduledExecutorService timer;
  private final Map<TransactionId, Pending> pending = new ConcurrentHashMap<>();
  private volatile String realm;
  private volatile String nonce;
  private volatile byte[] key;
  private volatile boolean closed;

  private record Pending(CompletableFuture<StunMessage> result, ByteBuffer wire) {}

  TurnTransactions(DatagramChannel channel, InetSocketAddress server, TurnCredentials credentials, StunTiming timing,
      ScheduledExecutorService timer) {
    this.channel = channel;
    this.server = server;
    this.credentials = credentials;
    this.timing = timing;
    this.timer = timer;
  }

  /** Sends a request and completes with its success response; an error response fails the future. */
  CompletableFuture<StunMessage> request(int method, List<StunAttribute> attributes) {
    return authenticatedRequest(method, attributes, 0);
  }

  /**
   * A STUN response arrived in {@code datagram} (decoded as {@code message}): it completes its
   * request, unless none waits for it or its MESSAGE-INTEGRITY does not verify.
   */
  void onResponse(StunMessage message, ByteBuffer datagram) {
    Pending p = pending.get(message.transactionId());
    if (p == null || !message.messageClass().isResponse()) {
      return;
    }
    byte[] currentKey = key;
    if (message.attribute(AttributeType.MESSAGE_INTEGRITY).isPresent() && currentKey != null
        && !StunIntegrity.checkSha1(datagram, currentKey)) {
      LOG.warn("dropped a TURN response with a bad MESSAGE-INTEGRITY from {}", server);
      return;
    }
    p.result().complete(message);
  }

  /** Fails every request still waiting, and every later one. */
  void close() {
    closed = true;
    pending.values().forEach(p -> p.result().completeExceptionally(closedFailure()));
    pending.clear();
  }

  private CompletableFuture<StunMessage> authenticatedRequest(int method, List<StunAttribute> attributes, int round) {
    String currentNonce = nonce;
    List<StunAttribute> all = new ArrayList<>(attributes);
    StunEncoder encoder = StunEncoder.plain();
    if (currentNonce != null) {
      all.add(StunAttribute.Text.username(credentials.username()));
      all.add(StunAttribute.Text.realm(realm));
      all.add(StunAttribute.Text.nonce(currentNonce));
      encoder = encoder.withIntegrity(key);
    }
    StunMessage message = StunMessage.request(method, all);
    return exchange(message.transactionId(), encoder.withFingerprint().encode(message)).thenCompose(response -> {
      if (response.messageClass() == MessageClass.SUCCESS_RESPONSE) {
        return CompletableFuture.completedFuture(response);
      }
      StunAttribute.ErrorCode error = response.errorCode()
          .orElse(new StunAttribute.ErrorCode(StunAttribute.ErrorCode.BAD_REQUEST, "error without ERROR-CODE"));
      int code = error.code();
      boolean challenge = code == StunAttribute.ErrorCode.UNAUTHENTICATED && currentNonce == null;
      boolean stale = code == StunAttribute.ErrorCode.STALE_NONCE;
      if ((challenge || stale) && round < MAX_AUTH_ROUNDS && response.text(AttributeType.NONCE).isPresent()) {
        learnChallenge(response);
        return authenticatedRequest(method, attributes, round + 1);
      }
      if (code == StunAttribute.ErrorCode.UNAUTHENTICATED) {
        return CompletableFuture.failedFuture(new TurnException(TurnException.Reason.UNAUTHORIZED, code,
            "TURN server " + server + " refused user '" + credentials.username()
                + "': check the TURN username and password"));
      }
      return CompletableFuture.failedFuture(new TurnException(TurnException.Reason.ERROR_RESPONSE, code,
          "TURN server " + server + " answered " + code + " " + error.reason()));
    });
  }

  private void learnChallenge(StunMessage response) {
    String newRealm = response.text(AttributeType.REALM).orElse(realm);
    if (newRealm == null) {
      return;
    }
    if (!newRealm.equals(realm) || key == null) {
      key = StunIntegrity.longTermKey(credentials.username(), newRealm, credentials.password());
      realm = newRealm;
    }
    nonce = response.text(AttributeType.NONCE).orElseThrow();
  }

  private CompletableFuture<StunMessage> exchange(TransactionId id, ByteBuffer wire) {
    CompletableFuture<StunMessage> result = new CompletableFuture<>();
    if (closed) {
      result.completeExceptionally(closedFailure());
      return result;
    }
    Pending p = new Pending(result, wire);
    pending.put(id, p);
    result.whenComplete((r, e) -> pending.remove(id));
    transmit(id, p, 0);
    return result;
  }

  private void transmit(TransactionId id, Pending p, int attempt) {
    if (p.result().isDone()) {
      return;
    }
    if (attempt == timing.requests()) {
      p.result().completeExceptionally(new TurnException(TurnException.Reason.TIMEOUT, 0,
          "no answer from TURN server " + server + " within " + timing.total().toMillis()
              + " ms: check the server address and that UDP to it is allowed"));
      return;
    }
    try {
      channel.send(p.wire().duplicate(), server);
      long wait = timing.waitAfter(attempt).toMillis();
      timer.schedule(() -> transmit(id, p, attempt + 1), wait, TimeUnit.MILLISECONDS);
    } catch (IOException | RejectedExecutionException e) {
      p.result().completeExceptionally(closed
          ? closedFailure()
          : new TurnException(TurnException.Reason.TIMEOUT, 0, "cannot send to " + server + ": " + e));
    }
  }

  private static TurnException closedFailure() {
    return new TurnException(TurnException.Reason.CLOSED, 0, "TURN client closed");
  }
}
