package io.partynet.server.internal;

import io.partynet.protocol.internal.EventMessage;
import io.partynet.protocol.internal.Protocol;
import io.partynet.protocol.internal.ProtocolJson;
import io.partynet.protocol.internal.ResumeMessage;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/** One hand-driven event WebSocket: sends a chosen resume and collects what the server answers up to {@code ready}. */
final class RawEventStream {
  private RawEventStream() {}

  static List<EventMessage> resume(int port, String token, Map<String, Long> parties, Duration timeout)
      throws Exception {
    List<EventMessage> received = new ArrayList<>();
    CompletableFuture<List<EventMessage>> ready = new CompletableFuture<>();
    WebSocketClient ws = new WebSocketClient(URI.create("ws://127.0.0.1:" + port + Protocol.EVENTS),
        Map.of(Protocol.AUTHORIZATION, Protocol.BEARER + token)) {
      @Override public void onOpen(ServerHandshake h) {
        send(ProtocolJson.write(ResumeMessage.of(parties)));
      }

      @Override public void onMessage(String text) {
        try {
          EventMessage event = ProtocolJson.lenient().readValue(text, EventMessage.class);
          synchronized (received) {
            received.add(event);
            if (event.type().equals(Protocol.EVENT_READY)) {
              ready.complete(List.copyOf(received));
            }
          }
        } catch (IOException e) {
          ready.completeExceptionally(e);
        }
      }

      @Override public void onClose(int code, String reason, boolean remote) {
        ready.completeExceptionally(new AssertionError("closed before ready: " + code + " " + reason));
      }

      @Override public void onError(Exception e) {
        ready.completeExceptionally(e);
      }
    };
    try {
      ws.connectBlocking(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } finally {
      ws.closeBlocking();
    }
  }
}
