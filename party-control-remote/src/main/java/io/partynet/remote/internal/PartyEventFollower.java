package io.partynet.remote.internal;

import io.partynet.DisbandReason;
import io.partynet.LeaveReason;
import io.partynet.PartyException;
import io.partynet.PartyInfo;
import io.partynet.protocol.internal.EventMessage;
import io.partynet.protocol.internal.PartyResponse;
import io.partynet.protocol.internal.Protocol;
import io.partynet.protocol.internal.ProtocolJson;
import io.partynet.protocol.internal.ResumeMessage;
import io.partynet.spi.ControlPlaneListener;
import io.partynet.spi.ControlPlaneListeners;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event side of a {@link RemoteControlPlaneClient}: keeps the parties it follows with the last
 * sequence number seen for each (so a reconnected stream resumes where it stopped), drops events it
 * has already seen, and hands the rest to the listeners. Thread-safe.
 */
final class PartyEventFollower implements EventStream.Handler {
  private static final Logger LOG = LoggerFactory.getLogger(PartyEventFollower.class);

  private final RemoteAuthenticator auth;
  private final ServerList servers;
  private final ControlPlaneListeners listeners;
  /** Parties this client follows, with the last event sequence number seen for each. */
  private final Map<String, Long> followed = new ConcurrentHashMap<>();
  private volatile EventStream stream;
  /**
   * Guards {@link #upDetail} and its announcement, and the registration of listeners: a listener
   * added while the stream is up hears so exactly once (the manager adds its listener only after
   * the stream was started, and the stream may be up by then).
   */
  private final Object connectivity = new Object();
  /** What the listeners were told when the stream came up; null while it is down. */
  private volatile String upDetail;

  PartyEventFollower(RemoteAuthenticator auth, ServerList servers, ControlPlaneListeners listeners) {
    this.auth = auth;
    this.servers = servers;
    this.listeners = listeners;
  }

  /**
   * Opens the event stream {@code open} makes for this handler; false (and nothing opened) when one
   * is already open.
   */
  boolean start(Function<EventStream.Handler, EventStream> open) {
    if (stream != null) {
      return false;
    }
    EventStream s = open.apply(this);
    stream = s;
    s.start();
    return true;
  }

  void close() {
    EventStream s = stream;
    if (s != null) {
      s.close();
    }
  }

  /** Registers {@code listener}; when the stream is up already, it hears that first. */
  void addListener(ControlPlaneListener listener, Executor executor) {
    synchronized (connectivity) {
      String detail = upDetail;
      if (detail == null) {
        listeners.add(listener, executor);
      } else {
        listeners.add(listener, executor, l -> l.onConnectivityChanged(true, detail));
      }
    }
  }

  /** True while the event stream is open and resumed. */
  boolean isConnected() {
    return upDetail != null;
  }

  Set<String> followedParties() {
    return followed.keySet();
  }

  /** Follows the party a create or join answered with, from the sequence number it came with. */
  PartyInfo follow(PartyResponse answer) {
    KeyPossession.requireDistinctKeys(answer.party());
    followed.merge(answer.party().partyId(), answer.seq(), Math::max);
    return answer.party();
  }

  void unfollow(String partyId) {
    followed.remove(partyId);
  }

  @Override
  public boolean beforeConnect() {
    try {
      auth.authenticate(true);
      return true;
    } catch (PartyException e) {
      LOG.debug("control plane server not ready for the event stream: {}", e.getMessage());
      return false;
    }
  }

  @Override
  public String helloFrame() {
    return ProtocolJson.write(ResumeMessage.of(Map.copyOf(followed)));
  }

  @Override
  public void onText(String text) {
    EventMessage event;
    try {
      event = ProtocolJson.lenient().readValue(text, EventMessage.class);
    } catch (IOException | RuntimeException e) {
      LOG.warn("ignoring an event the client cannot read: {}", e.getMessage());
      return;
    }
    handle(event);
  }

  @Override
  public void onDisconnected(String why) {
    synchronized (connectivity) {
      if (upDetail != null) {
        upDetail = null;
        listeners.emit(l -> l.onConnectivityChanged(false, why));
      }
    }
  }

  private void handle(EventMessage event) {
    switch (event.type()) {
      case Protocol.EVENT_READY -> {
        stream.markHealthy();
        String detail = "event stream to " + servers.describe() + " is up";
        synchronized (connectivity) {
          upDetail = detail;
          listeners.emit(l -> l.onConnectivityChanged(true, detail));
        }
      }
      case Protocol.EVENT_GOING_AWAY -> {
        LOG.info("control plane server is going away ({}); reconnecting", event.reason());
        stream.reconnectSoon();
      }
      case Protocol.EVENT_SNAPSHOT -> {
        if (event.party() != null && event.seq() != null) {
          if (!KeyPossession.hasDistinctKeys(event.party())) {
            LOG.warn("ignoring a snapshot of party {} in which two members share a WireGuard key", event.partyId());
            return;
          }
          followed.put(event.partyId(), event.seq());
          listeners.emit(l -> l.onPartySnapshot(event.party()));
        }
      }
      default -> handlePartyEvent(event);
    }
  }

  private void handlePartyEvent(EventMessage event) {
    if (event.partyId() == null || event.seq() == null) {
      LOG.debug("ignoring event without party or sequence: {}", event.type());
      return;
    }
    String partyId = event.partyId();
    long seq = event.seq();
    boolean ending = Protocol.EVENT_PARTY_DISBANDED.equals(event.type())
        || (Protocol.EVENT_PEER_LEFT.equals(event.type()) && Objects.equals(event.peerId(), auth.peerId()));
    Long seen = followed.get(partyId);
    if (seen != null && seq <= seen) {
      return;
    }
    if (ending) {
      followed.remove(partyId);
    } else {
      followed.merge(partyId, seq, Math::max);
    }
    switch (event.type()) {
      case Protocol.EVENT_PEER_JOINED -> listeners.emit(l -> l.onPeerJoined(partyId, event.peer()));
      case Protocol.EVENT_PEER_UPDATED -> listeners.emit(l -> l.onPeerUpdated(partyId, event.peer()));
      case Protocol.EVENT_PEER_LEFT -> listeners.emit(l -> l.onPeerLeft(partyId, event.peerId(), LeaveReason.fromWire(event.reason())));
      case Protocol.EVENT_SIGNAL -> listeners.emit(l -> l.onSignal(event.signal()));
      case Protocol.EVENT_PARTY_DISBANDED -> listeners.emit(l -> l.onPartyDisbanded(partyId, DisbandReason.fromWire(event.reason())));
      default -> LOG.debug("ignoring unknown event type {}", event.type());
    }
  }
}
