package io.partynet.wireguard.jna.internal.nt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Endpoint;
import io.partynet.IpPrefix;
import io.partynet.Key;
import io.partynet.spi.InterfaceConfig;
import io.partynet.spi.PeerConfig;
import io.partynet.spi.PeerStats;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The backend against {@link FakeWireGuardDll}: what it sends, in which order, and what it reads back. */
class WireGuardNtBackendTest {
  private static final Key PRIVATE = MingwVectors.sequenceKey(0x01);
  private static final Key PEER = MingwVectors.sequenceKey(0x41);

  private final FakeWireGuardDll dll = new FakeWireGuardDll();
  private final List<String> addresses = new ArrayList<>();
  private final WireGuardNtBackend backend = new WireGuardNtBackend(new WireGuardNt(dll, dll::lastError),
      new InterfaceAddresses() {
        @Override
        public void addAddress(long luid, IpPrefix address) {
          addresses.add(Long.toHexString(luid) + " " + address);
        }

        @Override
        public void setMtu(long luid, boolean ipv6, int mtu) {
          addresses.add(Long.toHexString(luid) + (ipv6 ? " IPv6" : " IPv4") + " MTU " + mtu);
        }
      });

  private static InterfaceConfig config(int port) {
    return new InterfaceConfig("party0", PRIVATE, port, IpPrefix.parse("10.77.0.2/16"), InterfaceConfig.DEFAULT_MTU);
  }

  @Test
  void upCreatesConfiguresAddressesAndRaisesTheAdapter() throws Exception {
    assertEquals(FakeWireGuardDll.ASSIGNED_PORT, backend.up(config(0)));

    assertTrue(backend.isUp());
    assertTrue(dll.up);
    assertEquals("party0", dll.createdName.toString());
    assertEquals(WireGuardNt.toGuid(WireGuardNtBackend.adapterGuid("party0")).toGuidString(),
        dll.requestedGuid.toGuidString());
    assertEquals(List.of("6000001234567 10.77.0.2/16", "6000001234567 IPv4 MTU 1420"), addresses);
    assertEquals(PRIVATE, dll.state.privateKey().orElseThrow());
    assertEquals(List.of("WireGuardCreateAdapter", "WireGuardSetAdapterLogging", "WireGuardSetConfiguration",
        "WireGuardGetAdapterLUID", "WireGuardSetAdapterState", "WireGuardGetConfiguration"), dll.calls);
  }

  @Test
  void upReturnsTheRequestedPortWhenSet() throws Exception {
    assertEquals(51820, backend.up(config(51820)));
  }

  @Test
  void aFailedUpRemovesTheHalfMadeAdapter() {
    dll.failures.put("WireGuardSetAdapterState", WindowsErrors.ERROR_ACCESS_DENIED);
    assertThrows(IOException.class, () -> backend.up(config(0)));
    assertFalse(backend.isUp());
    assertFalse(dll.exists);
  }

  @Test
  void peersAreAddedUpdatedReadAndRemoved() throws Exception {
    backend.up(config(51820));
    backend.addPeer(new PeerConfig(PEER, MingwVectors.sequenceKey(0x81), Endpoint.parse("192.0.2.1:51820"),
        List.of(IpPrefix.parse("10.77.0.3/32")), 25));
    backend.updatePeer(new PeerConfig(PEER, null, Endpoint.parse("[2001:db8::1]:51821"),
        List.of(IpPrefix.parse("10.77.0.3/32"), IpPrefix.parse("fd77::3/128")), 0));
    dll.txBytes = 1000;
    dll.rxBytes = 2000;
    dll.lastHandshake = FileTimes.UNIX_EPOCH_TICKS + 1_795_557_600L * 10_000_000L;

    List<PeerStats> stats = backend.peerStats();

    assertEquals(List.of(new PeerStats(PEER, Endpoint.parse("[2001:db8::1]:51821"),
        Instant.parse("2026-11-24T22:00:00Z"), 2000, 1000)), stats);
    NtPeer held = dll.state.peers().get(0);
    assertTrue(held.presharedKey().orElseThrow().isZero(), "a null preshared key clears the old one");
    assertEquals(2, held.allowedIps().size(), "allowed IPs are replaced, not appended");

    backend.removePeer(PEER);
    assertTrue(backend.peerStats().isEmpty());
  }

  @Test
  void updateOfAnUnknownPeerAddsNothing() throws Exception {
    backend.up(config(51820));
    backend.updatePeer(new PeerConfig(PEER, null, null, List.of(), 0));
    assertTrue(backend.peerStats().isEmpty());
  }

  @Test
  void aPeerWithoutEndpointOrHandshakeReportsNulls() throws Exception {
    backend.up(config(51820));
    backend.addPeer(new PeerConfig(PEER, null, null, List.of(), 0));
    PeerStats stats = backend.peerStats().get(0);
    assertNull(stats.endpoint());
    assertNull(stats.lastHandshake());
  }

  @Test
  void closeRemovesTheAdapterOnce() throws Exception {
    backend.up(config(51820));
    backend.close();
    backend.close();
    assertFalse(dll.exists);
    assertFalse(backend.isUp());
    assertEquals(1, dll.calls.stream().filter("WireGuardCloseAdapter"::equals).count());
    assertThrows(IllegalStateException.class, backend::peerStats);
  }

  @Test
  void upTwiceIsRefused() throws Exception {
    backend.up(config(51820));
    assertThrows(IllegalStateException.class, () -> backend.up(config(51820)));
  }
}
