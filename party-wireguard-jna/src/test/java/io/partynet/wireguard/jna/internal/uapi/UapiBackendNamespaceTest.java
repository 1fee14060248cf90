package io.partynet.wireguard.jna.internal.uapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Endpoint;
import io.partynet.IpPrefix;
import io.partynet.Key;
import io.partynet.spi.InterfaceConfig;
import io.partynet.spi.PeerConfig;
import io.partynet.wireguard.jna.internal.device.DeviceConfig;
import io.partynet.wireguard.jna.internal.device.DeviceState;
import io.partynet.wireguard.jna.internal.device.PeerSettings;
import io.partynet.wireguard.jna.internal.device.PeerState;
import io.partynet.wireguard.jna.internal.lab.X25519Keys;
import io.partynet.wireguard.jna.internal.lab.WgDump;
import io.partynet.wireguard.jna.internal.netlink.NetworkNamespace;
import io.partynet.testing.lab.Lab;
import io.partynet.testing.lab.LabTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two namespaces joined by a veth pair, one wireguard-go interface in each, configured only through
 * {@link UapiBackend}: a ping crosses the tunnel, and the backend's read-back equals what the
 * reference client {@code wg show IF dump} prints, preshared key and fwmark included.
 */
@LabTest(needs = LabTest.Need.WIREGUARD_GO, tools = "ping")
class UapiBackendNamespaceTest {
  private static final IpPrefix TUNNEL_A = IpPrefix.parse("10.77.9.1/24");
  private static final IpPrefix TUNNEL_B = IpPrefix.parse("10.77.9.2/24");
  private Lab lab;
  private String a;
  private String b;
  private UapiBackend backendA;
  private UapiBackend backendB;

  @BeforeEach
  void lab() throws Exception {
    lab = Lab.open();
    a = lab.addNamespace("a");
    b = lab.addNamespace("b");
    lab.veth(a, lab.interfaceName("ea"), b, lab.interfaceName("eb"));
    lab.ip(a, "addr", "add", "198.51.100.1/24", "dev", lab.interfaceName("ea"));
    lab.ip(b, "addr", "add", "198.51.100.2/24", "dev", lab.interfaceName("eb"));
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {backendA, backendB, lab}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @Test
  void twoWireGuardGoPeersPingAndReadBackMatchesWgShow() throws Exception {
    X25519Keys keysA = X25519Keys.generate();
    X25519Keys keysB = X25519Keys.generate();
    String ifA = lab.interfaceName("wga");
    String ifB = lab.interfaceName("wgb");
    backendA = new UapiBackend(UapiBackend.Options.defaults().inNamespace(NetworkNamespace.named(a)));
    backendB = new UapiBackend(UapiBackend.Options.defaults().inNamespace(NetworkNamespace.named(b)));

    assertEquals(51820, backendA.up(new InterfaceConfig(ifA, keysA.privateKey(), 51820, TUNNEL_A, 1420)));
    int portB = backendB.up(new InterfaceConfig(ifB, keysB.privateKey(), 0, TUNNEL_B, 1380));
    assertTrue(portB > 0, "port 0 must come back as the port wireguard-go picked");
    backendA.addPeer(new PeerConfig(keysB.publicKey(), null, new Endpoint("198.51.100.2", portB),
        List.of(IpPrefix.parse("10.77.9.2/32")), 0));
    backendB.addPeer(new PeerConfig(keysA.publicKey(), null, new Endpoint("198.51.100.1", 51820),
        List.of(IpPrefix.parse("10.77.9.1/32"), IpPrefix.parse("fd77::1/128")), 25));

    assertTrue(lab.run(a, "ip", "-j", "addr", "show", "dev", ifA).orThrow().output().contains("10.77.9.1"), "address set through rtnetlink");
    assertTrue(lab.run(b, "ip", "-o", "link", "show", "dev", ifB).orThrow().output().contains("mtu 1380"), "MTU set through rtnetlink");
    Lab.await("a ping over the tunnel from A to B", Duration.ofSeconds(20),
        () -> lab.run(a, Duration.ofSeconds(5), "ping", "-c", "1", "-W", "1", "10.77.9.2").ok());

    Key psk = X25519Keys.generate().privateKey();
    backendA.configure(DeviceConfig.builder().fwmark(0x1234)
        .peer(PeerSettings.builder(keysB.publicKey()).updateOnly(true).presharedKey(psk).build()).build());
    assertEquals(Optional.of(psk), backendA.state().peer(keysB.publicKey()).orElseThrow().presharedKey());
    assertEquals(0x1234, backendA.state().fwmark());
    assertReadBackEqualsWgShow(backendA, ifA, keysA);
    assertReadBackEqualsWgShow(backendB, ifB, keysB);
    PeerState bAsSeenByA = backendA.state().peer(keysB.publicKey()).orElseThrow();
    assertTrue(bAsSeenByA.lastHandshake().isPresent(), "handshake completed");
    assertTrue(bAsSeenByA.rxBytes() > 0 && bAsSeenByA.txBytes() > 0, bAsSeenByA::toString);
    assertEquals(1, bAsSeenByA.protocolVersion());

    backendA.updatePeer(new PeerConfig(keysB.publicKey(), null, null, List.of(IpPrefix.parse("10.77.9.0/28")), 7));
    PeerState updated = backendA.state().peer(keysB.publicKey()).orElseThrow();
    assertEquals(List.of(IpPrefix.parse("10.77.9.0/28")), updated.allowedIps());
    assertEquals(7, updated.persistentKeepaliveSeconds());
    assertEquals(Optional.of(new Endpoint("198.51.100.2", portB)), updated.endpoint(), "an update without endpoint keeps it");
    assertEquals(1, backendA.peerStats().size());
    backendA.removePeer(keysB.publicKey());
    assertEquals(List.of(), backendA.state().peers());
    assertEquals(1, lab.run(null, "wg", "show", ifA, "dump").orThrow().output().strip().split("\n").length, "wg sees no peer either");

    long pid = backendA.daemonPid().orElseThrow();
    Path socket = UapiClient.socketPath(UapiClient.DEFAULT_SOCKET_DIRECTORY, ifA);
    backendA.close();
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "daemon stopped");
    assertFalse(backendA.isUp());
    assertFalse(lab.run(a, "ip", "-o", "link").orThrow().output().contains(ifA), "interface removed with its daemon");
    Lab.await("socket removal", Duration.ofSeconds(5), () -> !Files.exists(socket));
  }

  /** Counters move while traffic flows: compare when two reads of our own bracket wg's read unchanged. */
  private void assertReadBackEqualsWgShow(UapiBackend backend, String ifname, X25519Keys keys) throws Exception {
    for (int attempt = 0; ; attempt++) {
      DeviceState before = backend.state();
      WgDump dump = WgDump.parse(lab.run(null, "wg", "show", ifname, "dump").orThrow().output());
      DeviceState after = backend.state();
      if (!before.equals(after) && attempt < 5) {
        continue;
      }
      assertEquals(before, after, "device kept changing");
      assertEquals(dump.privateKey(), after.privateKey());
      assertEquals(Optional.of(keys.publicKey()), dump.publicKey(), "wg derives the public key we derived");
      assertEquals(dump.listenPort(), after.listenPort());
      assertEquals(dump.fwmark(), Integer.toUnsignedLong(after.fwmark()));
      assertEquals(dump.peers().size(), after.peers().size());
      for (WgDump.Peer expected : dump.peers()) {
        PeerState actual = after.peer(expected.publicKey()).orElseThrow();
        assertEquals(expected.presharedKey(), actual.presharedKey());
        assertEquals(expected.endpoint(), actual.endpoint());
        assertEquals(expected.allowedIps(), actual.allowedIps());
        assertEquals(expected.latestHandshakeSeconds(), actual.lastHandshake().map(i -> i.getEpochSecond()).orElse(0L));
        assertEquals(expected.rxBytes(), actual.rxBytes());
        assertEquals(expected.txBytes(), actual.txBytes());
        assertEquals(expected.persistentKeepalive(), actual.persistentKeepaliveSeconds());
      }
      return;
    }
  }
}
