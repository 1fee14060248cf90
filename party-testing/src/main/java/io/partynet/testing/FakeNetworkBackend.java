package io.partynet.testing;

import io.partynet.Key;
import io.partynet.spi.InterfaceConfig;
import io.partynet.spi.NetworkBackend;
import io.partynet.spi.PeerConfig;
import io.partynet.spi.PeerStats;
import io.partynet.spi.UserspaceNetwork;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A network backend that carries nothing: it records the interface and peers the SDK configures
 * and reports whatever statistics the test sets. Test code only. Thread-safe.
 */
public final class FakeNetworkBackend implements NetworkBackend {
  private final String name;
  private final Map<Key, PeerConfig> peers = new LinkedHashMap<>();
  private final Map<Key, PeerStats> stats = new LinkedHashMap<>();
  private final List<String> calls = new ArrayList<>();
  private InterfaceConfig config;
  private boolean up;
  private IOException failUpWith;
  private UserspaceNetwork userspace;
  private boolean closeIsFinal;
  private boolean closed;

  public FakeNetworkBackend(String name) {
    this.name = name;
  }

  public FakeNetworkBackend() {
    this("fake");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public synchronized int up(InterfaceConfig interfaceConfig) throws IOException {
    calls.add("up");
    if (closed && closeIsFinal) {
      throw new IllegalStateException(name + " backend is closed; create a new one");
    }
    if (failUpWith != null) {
      throw failUpWith;
    }
    config = interfaceConfig;
    up = true;
    return interfaceConfig.listenPort() == 0 ? 40000 : interfaceConfig.listenPort();
  }

  @Override
  public synchronized void addPeer(PeerConfig peer) throws IOException {
    requireUp();
    calls.add("addPeer");
    peers.put(peer.publicKey(), peer);
  }

  @Override
  public synchronized void updatePeer(PeerConfig peer) throws IOException {
    requireUp();
    calls.add("updatePeer");
    if (!peers.containsKey(peer.publicKey())) {
      throw new IOException("no such peer");
    }
    peers.put(peer.publicKey(), peer);
  }

  @Override
  public synchronized void removePeer(Key publicKey) throws IOException {
    requireUp();
    calls.add("removePeer");
    peers.remove(publicKey);
  }

  @Override
  public synchronized List<PeerStats> peerStats() throws IOException {
    requireUp();
    List<PeerStats> result = new ArrayList<>();
    for (Key key : peers.keySet()) {
      PeerStats s = stats.get(key);
      result.add(s != null ? s : new PeerStats(key, peers.get(key).endpoint(), null, 0, 0));
    }
    return result;
  }

  @Override
  public synchronized boolean isUp() {
    return up;
  }

  @Override
  public synchronized Optional<UserspaceNetwork> userspaceNetwork() {
    return Optional.ofNullable(userspace);
  }

  @Override
  public synchronized void down() {
    calls.add("down");
    up = false;
    peers.clear();
  }

  @Override
  public synchronized void close() {
    calls.add("close");
    closed = true;
    up = false;
    peers.clear();
  }

  /** Makes {@link #close()} final, as the JNA backends' is: {@link #up} fails afterwards. */
  public synchronized FakeNetworkBackend closeIsFinal() {
    closeIsFinal = true;
    return this;
  }

  private void requireUp() throws IOException {
    if (!up) {
      throw new IOException("interface is down");
    }
  }

  /** Makes the next {@link #up} fail. */
  public synchronized void failUpWith(IOException e) {
    failUpWith = e;
  }

  public synchronized void setStats(PeerStats s) {
    stats.put(s.publicKey(), s);
  }

  public synchronized void setUserspace(UserspaceNetwork network) {
    userspace = network;
  }

  public synchronized InterfaceConfig interfaceConfig() {
    return config;
  }

  public synchronized Map<Key, PeerConfig> peers() {
    return Map.copyOf(peers);
  }

  public synchronized List<String> calls() {
    return List.copyOf(calls);
  }
}
