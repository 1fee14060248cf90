package io.partynet.server.internal.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import io.partynet.InviteCode;
import io.partynet.protocol.internal.Protocol;
import io.partynet.protocol.internal.ProtocolJson;
import io.partynet.protocol.internal.ResumeMessage;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event WebSocket of one peer ({@code GET /v1/events}): authenticated at the upgrade, then
 * exactly one resume message, answered by the {@link EventHub}; everything else closes the
 * stream (1003 binary, 1008 anything else). Thread-safe: per-connection state lives in the
 * connection's attributes.
 */
public final class EventSocket {
  private static final Logger LOG = LoggerFactory.getLogger(EventSocket.class);
  private static final String PEER = "partynet.peer";

  /** Runs before a peer's resume is answered (an instance sharing its database brings the peer's parties up to date). */
  public interface BeforeResume {
    BeforeResume NOTHING = (peerId, resume) -> { };

    void prepare(String peerId, ResumeMessage resume);
  }

  private final EventHub hub;
  private final BeforeResume beforeResume;
  private final Function<String, String> authenticator;

  /** {@code authenticator} maps an Authorization header to the id of its registered peer or throws. */
  public EventSocket(EventHub hub, BeforeResume beforeResume, Function<String, String> authenticator) {
    this.hub = hub;
    this.beforeResume = beforeResume;
    this.authenticator = authenticator;
  }

  public void configure(WsConfig ws) {
    ws.onConnect(ctx -> {
      String peerId = authenticator.apply(ctx.header(Protocol.AUTHORIZATION));
      JettySink sink = new JettySink(ctx);
      ctx.attribute(PEER, peerId);
      ctx.attribute(JettySink.class.getName(), sink);
      hub.connected(peerId, sink);
      LOG.atDebug().setMessage("event stream opened").addKeyValue("peer", peerId).log();
    });
    ws.onMessage(ctx -> {
      String peerId = ctx.attribute(PEER);
      JettySink sink = ctx.attribute(JettySink.class.getName());
      if (peerId == null || sink == null) {
        ctx.closeSession(1008, "not authenticated");
        return;
      }
      if (!sink.markResumed()) {
        ctx.closeSession(1008, "only one resume message is allowed per connection");
        return;
      }
      ResumeMessage resume;
      try {
        resume = normalizeResume(ProtocolJson.strict().readValue(ctx.message(), ResumeMessage.class));
      } catch (JsonProcessingException | RuntimeException e) {
        ctx.closeSession(1008, "malformed resume message");
        return;
      }
      beforeResume.prepare(peerId, resume);
      hub.resume(peerId, sink, resume);
    });
    ws.onBinaryMessage(ctx -> ctx.closeSession(1003, "binary frames are not part of the protocol"));
    ws.onClose(ctx -> {
      String peerId = ctx.attribute(PEER);
      JettySink sink = ctx.attribute(JettySink.class.getName());
      if (peerId != null && sink != null) {
        hub.disconnected(peerId, sink);
      }
    });
    ws.onError(ctx -> LOG.atDebug().setMessage("event stream error")
        .addKeyValue("error", String.valueOf(ctx.error())).log());
  }

  private static ResumeMessage normalizeResume(ResumeMessage resume) {
    Map<String, Long> parties = new HashMap<>();
    resume.parties().forEach((id, seq) -> parties.put(InviteCode.normalize(id), seq));
    return ResumeMessage.of(parties);
  }

  /** Adapts a Javalin WebSocket to {@link EventSink}, closing it when the client reads too slowly. */
  private static final class JettySink implements EventSink {
    private static final long MAX_PENDING_BYTES = 1 << 20;
    private final WsContext ctx;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicBoolean resumed = new AtomicBoolean();

    JettySink(WsContext ctx) {
      this.ctx = ctx;
    }

    boolean markResumed() {
      return resumed.compareAndSet(false, true);
    }

    @Override
    public void send(String frame) {
      if (!ctx.session.isOpen()) {
        return;
      }
      long size = frame.length();
      if (pending.addAndGet(size) > MAX_PENDING_BYTES) {
        close(1008, "client reads events too slowly; reconnect and resume");
        return;
      }
      ctx.session.getRemote().sendString(frame, new org.eclipse.jetty.websocket.api.WriteCallback() {
        @Override
        public void writeFailed(Throwable x) {
          pending.addAndGet(-size);
        }

        @Override
        public void writeSuccess() {
          pending.addAndGet(-size);
        }
      });
    }

    @Override
    public void close(int code, String reason) {
      try {
        ctx.closeSession(code, reason);
      } catch (RuntimeException e) {
        LOG.debug("closing an event stream failed: {}", e.toString());
      }
    }
  }
}
