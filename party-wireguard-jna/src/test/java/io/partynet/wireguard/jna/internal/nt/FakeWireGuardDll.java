package io.partynet.wireguard.jna.internal.nt;

import com.sun.jna.Pointer;
import com.sun.jna.WString;
import com.sun.jna.platform.win32.Guid;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Stands in for wireguard.dll in tests: one adapter, configured through real byte buffers that it
 * parses with {@link NtConfigCodec} and applies with the driver's semantics (api/wireguard.h and
 * driver/ioctl.c of wireguard-nt), and answers GetConfiguration with ERROR_MORE_DATA when the caller's
 * buffer is too small. Failures are injected per function name. Not thread-safe; one test at a time.
 */
final class FakeWireGuardDll implements WireGuardNtLibrary {
  static final Pointer HANDLE = new Pointer(0x5eed);
  static final int ASSIGNED_PORT = 49999;

  final List<String> calls = new ArrayList<>();
  final Map<String, Integer> failures = new LinkedHashMap<>();
  final List<byte[]> setBuffers = new ArrayList<>();
  int lastError;
  boolean exists;
  boolean up;
  int logState = -1;
  WString createdName;
  Guid.GUID requestedGuid;
  NtInterface state = NtInterface.builder().build();
  /** Simulates traffic: counters and handshake reported for every peer. */
  long txBytes;
  long rxBytes;
  long lastHandshake;

  /** The supplier WireGuardNt reads the last error from. */
  int lastError() {
    return lastError;
  }

  private boolean failing(String function) {
    calls.add(function);
    Integer error = failures.get(function);
    if (error != null) {
      lastError = error;
      return true;
    }
    return false;
  }

  @Override
  public Pointer WireGuardCreateAdapter(WString name, WString tunnelType, Guid.GUID guid) {
    if (failing("WireGuardCreateAdapter")) {
      return null;
    }
    exists = true;
    createdName = name;
    requestedGuid = guid;
    return HANDLE;
  }

  @Override
  public Pointer WireGuardOpenAdapter(WString name) {
    if (failing("WireGuardOpenAdapter") || !exists) {
      lastError = WindowsErrors.ERROR_FILE_NOT_FOUND;
      return null;
    }
    return HANDLE;
  }

  @Override
  public void WireGuardCloseAdapter(Pointer adapter) {
    calls.add("WireGuardCloseAdapter");
    exists = false;
    up = false;
  }

  @Override
  public void WireGuardGetAdapterLUID(Pointer adapter, LongByReference luid) {
    calls.add("WireGuardGetAdapterLUID");
    luid.setValue(0x0006_0000_0123_4567L);
  }

  @Override
  public int WireGuardGetRunningDriverVersion() {
    return failing("WireGuardGetRunningDriverVersion") ? 0 : (1 << 16);
  }

  @Override
  public boolean WireGuardDeleteDriver() {
    return !failing("WireGuardDeleteDriver");
  }

  @Override
  public void WireGuardSetLogger(LoggerCallback newLogger) {
    calls.add("WireGuardSetLogger");
  }

  @Override
  public boolean WireGuardSetAdapterLogging(Pointer adapter, int state) {
    if (failing("WireGuardSetAdapterLogging")) {
      return false;
    }
    logState = state;
    return true;
  }

  @Override
  public boolean WireGuardSetAdapterState(Pointer adapter, int state) {
    if (failing("WireGuardSetAdapterState")) {
      return false;
    }
    up = state == ADAPTER_STATE_UP;
    return true;
  }

  @Override
  public boolean WireGuardGetAdapterState(Pointer adapter, IntByReference state) {
    if (failing("WireGuardGetAdapterState")) {
      return false;
    }
    state.setValue(up ? ADAPTER_STATE_UP : ADAPTER_STATE_DOWN);
    return true;
  }

  @Override
  public boolean WireGuardSetConfiguration(Pointer adapter, Pointer config, int bytes) {
    if (failing("WireGuardSetConfiguration")) {
      return false;
    }
    byte[] copy = config.getByteArray(0, bytes);
    setBuffers.add(copy);
    try {
      apply(NtConfigCodec.decode(ByteBuffer.wrap(copy)));
      return true;
    } catch (NtConfigFormatException e) {
      lastError = WindowsErrors.ERROR_INVALID_PARAMETER;
      return false;
    }
  }

  @Override
  public boolean WireGuardGetConfiguration(Pointer adapter, Pointer config, IntByReference bytes) {
    if (failing("WireGuardGetConfiguration")) {
      return false;
    }
    ByteBuffer encoded = NtConfigCodec.encode(reported());
    int needed = encoded.remaining();
    int room = bytes.getValue();
    bytes.setValue(needed);
    if (room < needed) {
      lastError = WindowsErrors.ERROR_MORE_DATA;
      return false;
    }
    config.write(0, encoded.array(), 0, needed);
    return true;
  }

  /** What the driver reports: listen port picked when 0, counters filled in. */
  private NtInterface reported() {
    NtInterface.Builder builder = NtInterface.builder();
    state.privateKey().ifPresent(builder::privateKey);
    int port = state.listenPort().orElse(0);
    builder.listenPort(port == 0 ? ASSIGNED_PORT : port);
    for (NtPeer peer : state.peers()) {
      NtPeer.Builder reportedPeer = NtPeer.builder(peer.publicKey())
          .persistentKeepalive(peer.persistentKeepalive().orElse(0))
          .counters(txBytes, rxBytes, lastHandshake);
      peer.presharedKey().filter(key -> !key.isZero()).ifPresent(reportedPeer::presharedKey);
      peer.endpoint().ifPresent(reportedPeer::endpoint);
      peer.allowedIps().forEach(reportedPeer::addAllowedIp);
      builder.addPeer(reportedPeer.build());
    }
    return builder.build();
  }

  private void apply(NtInterface change) {
    List<NtPeer> peers = change.replacePeers() ? new ArrayList<>() : new ArrayList<>(state.peers());
    for (NtPeer peer : change.peers()) {
      int index = indexOf(peers, peer);
      if (peer.remove()) {
        if (index >= 0) {
          peers.remove(index);
        }
      } else if (index >= 0) {
        peers.set(index, merge(peers.get(index), peer));
      } else if (!peer.updateOnly()) {
        peers.add(merge(NtPeer.builder(peer.publicKey()).build(), peer));
      }
    }
    state = new NtInterface(change.privateKey().or(state::privateKey), state.publicKey(),
        change.listenPort().isPresent() ? change.listenPort() : state.listenPort(), false, peers);
  }

  private static int indexOf(List<NtPeer> peers, NtPeer peer) {
    for (int i = 0; i < peers.size(); i++) {
      if (peers.get(i).publicKey().equals(peer.publicKey())) {
        return i;
      }
    }
    return -1;
  }

  private static NtPeer merge(NtPeer old, NtPeer change) {
    NtPeer.Builder merged = NtPeer.builder(old.publicKey());
    change.presharedKey().or(old::presharedKey).ifPresent(merged::presharedKey);
    OptionalInt keepalive = change.persistentKeepalive().isPresent()
        ? change.persistentKeepalive() : old.persistentKeepalive();
    keepalive.ifPresent(merged::persistentKeepalive);
    change.endpoint().or(old::endpoint).ifPresent(merged::endpoint);
    if (!change.replaceAllowedIps()) {
      old.allowedIps().forEach(merged::addAllowedIp);
    }
    change.allowedIps().stream().filter(ip -> !ip.remove()).forEach(merged::addAllowedIp);
    return merged.build();
  }
}
