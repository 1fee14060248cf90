package io.partynet.control.local.internal;

import io.partynet.DisbandReason;
import io.partynet.LeaveReason;
import io.partynet.PartyInfo;
import io.partynet.core.internal.registry.PartyRegistry;
import io.partynet.spi.ControlPlaneListeners;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what other processes (and this one) appended to the discovery file and hands the events
 * of the parties this member is in to the listeners, in order; when events were trimmed before it
 * saw them, a snapshot of each party instead. Thread-safe: {@link #poll} runs on one thread, the
 * watched parties are changed from others.
 */
final class DiscoveryEventPoller {
  private static final Logger LOG = LoggerFactory.getLogger(DiscoveryEventPoller.class);

  private final DiscoveryFile file;
  private final Function<DiscoveryDocument, PartyRegistry> registryOf;
  private final ControlPlaneListeners listeners;
  private final Set<String> watchedParties = ConcurrentHashMap.newKeySet();
  private volatile String myPeerId;
  private volatile long lastDeliveredSeq;
  private volatile DiscoveryFile.Stamp lastStamp;

  DiscoveryEventPoller(DiscoveryFile file, Function<DiscoveryDocument, PartyRegistry> registryOf,
      ControlPlaneListeners listeners) {
    this.file = file;
    this.registryOf = registryOf;
    this.listeners = listeners;
  }

  /** Events numbered after {@code lastSeq} are delivered to {@code peerId}'s listeners. */
  void startAfter(long lastSeq, String peerId) {
    lastDeliveredSeq = lastSeq;
    myPeerId = peerId;
  }

  /** This member is in {@code partyId}: deliver its events. */
  void watch(String partyId) {
    watchedParties.add(partyId);
  }

  /** Delivers, in order, the events appended since the last poll. */
  void poll() {
    try {
      DiscoveryFile.Stamp stamp = file.stamp();
      if (stamp == null || stamp.equals(lastStamp)) {
        return;
      }
      DiscoveryDocument doc = file.readUnlocked();
      if (doc == null) {
        return;
      }
      lastStamp = stamp;
      if (doc.firstSeq() > lastDeliveredSeq + 1 && lastDeliveredSeq > 0) {
        // Events were trimmed before we saw them: hand out the full state instead.
        PartyRegistry registry = registryOf.apply(doc);
        for (String partyId : watchedParties) {
          Optional<PartyInfo> info = registry.getParty(partyId);
          if (info.isPresent()) {
            listeners.emit(l -> l.onPartySnapshot(info.get()));
          } else {
            watchedParties.remove(partyId);
            listeners.emit(l -> l.onPartyDisbanded(partyId, DisbandReason.DISBANDED));
          }
        }
      } else {
        for (DiscoveryEvent event : doc.events()) {
          if (event.seq() > lastDeliveredSeq) {
            deliver(event);
          }
        }
      }
      lastDeliveredSeq = doc.lastSeq();
    } catch (RuntimeException e) {
      LOG.warn("Reading the discovery file failed, will retry: {}", e.getMessage());
    }
  }

  private void deliver(DiscoveryEvent event) {
    if (!watchedParties.contains(event.partyId())) {
      return;
    }
    switch (event.type()) {
      case DiscoveryEvent.PEER_JOINED -> listeners.emit(l -> l.onPeerJoined(event.partyId(), event.peer()));
      case DiscoveryEvent.PEER_UPDATED -> listeners.emit(l -> l.onPeerUpdated(event.partyId(), event.peer()));
      case DiscoveryEvent.PEER_LEFT -> {
        if (event.peer().id().equals(myPeerId)) {
          watchedParties.remove(event.partyId());
        }
        listeners.emit(l -> l.onPeerLeft(event.partyId(), event.peer().id(), LeaveReason.fromWire(event.reason())));
      }
      case DiscoveryEvent.PARTY_DISBANDED -> {
        watchedParties.remove(event.partyId());
        listeners.emit(l -> l.onPartyDisbanded(event.partyId(), DisbandReason.fromWire(event.reason())));
      }
      case DiscoveryEvent.SIGNAL -> {
        if (event.signal().toPeerId().equals(myPeerId)) {
          listeners.emit(l -> l.onSignal(event.signal()));
        }
      }
      default -> LOG.debug("ignoring discovery event of unknown type {}", event.type());
    }
  }
}
