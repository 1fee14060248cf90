package io.partynet.server.internal.parties;

import io.partynet.DisbandReason;
import io.partynet.LeaveReason;
import io.partynet.Peer;
import io.partynet.core.internal.registry.RegistryListener;
import io.partynet.server.internal.store.ServerStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kicks last for the party's life: a kicked member's peer id and WireGuard key may not join that
 * party again (a new identity is a new player, which the host can kick too). Kicks are learnt from
 * the registry, written by {@link #persist(String)} before the kick is answered, and forgotten with
 * the party. Thread-safe.
 */
public final class Bans implements RegistryListener {
  private final ServerStore store;
  private final Map<String, Set<ServerStore.BanRow>> byParty = new HashMap<>();
  private final Map<String, List<ServerStore.BanRow>> unwritten = new HashMap<>();

  public Bans(ServerStore store) {
    this.store = store;
    for (ServerStore.BanRow row : store.loadBans()) {
      byParty.computeIfAbsent(row.partyId(), k -> new HashSet<>()).add(row);
    }
  }

  @Override
  public synchronized void onPeerLeft(String partyId, Peer peer, LeaveReason reason) {
    if (reason == LeaveReason.KICKED) {
      ServerStore.BanRow row = new ServerStore.BanRow(partyId, peer.id(), peer.publicKey());
      byParty.computeIfAbsent(partyId, k -> new HashSet<>()).add(row);
      unwritten.computeIfAbsent(partyId, k -> new ArrayList<>()).add(row);
    }
  }

  @Override
  public synchronized void onPartyDisbanded(String partyId, DisbandReason reason) {
    byParty.remove(partyId);
    unwritten.remove(partyId);
  }

  /** True when this peer id or this key was kicked from the party. */
  synchronized boolean isBanned(String partyId, String peerId, String publicKey) {
    for (ServerStore.BanRow row : byParty.getOrDefault(partyId, Set.of())) {
      if (row.peerId().equals(peerId) || row.publicKey().equals(publicKey)) {
        return true;
      }
    }
    return false;
  }

  /** Writes the party's new bans (kept pending when the write fails, which is rethrown). */
  void persist(String partyId) {
    List<ServerStore.BanRow> rows;
    synchronized (this) {
      rows = unwritten.remove(partyId);
    }
    if (rows == null) {
      return;
    }
    try {
      store.insertBans(rows);
    } catch (RuntimeException e) {
      synchronized (this) {
        unwritten.computeIfAbsent(partyId, k -> new ArrayList<>()).addAll(rows);
      }
      throw e;
    }
  }
}
