package io.partynet.core.internal.nat.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Endpoint;
import io.partynet.testing.lab.CommandResult;
import io.partynet.testing.lab.LabProcess;
import io.partynet.testing.lab.LabSite;
import io.partynet.testing.lab.NatKind;
import io.partynet.testing.lab.Lab;
import io.partynet.testing.lab.LabTest;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The TURN client against coturn, and the relay path: two wireguard-go peers that cannot reach
 * each other directly (symmetric behind one router, port-restricted behind the other) handshake
 * and ping through their RelayForwarders.
 */
@LabTest(needs = {LabTest.Need.NAT})
class TurnRelayLabTest {
  private static final Duration STEP = Duration.ofSeconds(20);
  private static Lab lab;
  private static LabSite open;
  private static LabSite symmetric;
  private static LabSite portRestricted;

  @BeforeAll
  static void buildLab() {
    lab = Lab.withInternet();
    open = lab.addSite(NatKind.OPEN);
    symmetric = lab.addSite(NatKind.SYMMETRIC);
    portRestricted = lab.addSite(NatKind.PORT_RESTRICTED_CONE);
  }

  @AfterAll
  static void tearDown() {
    if (lab != null) {
      lab.close();
    }
  }

  private static LabProcess turnAgent(LabSite site) {
    return lab.startJava(site.hostNamespace(), TurnAgentMain.class,
        lab.turnServer().toString(), Lab.TURN_USER, Lab.TURN_PASSWORD);
  }

  @Test
  void allocatesBindsAChannelAndCarriesDataFromBehindASymmetricNat() {
    LabProcess echo = lab.startJava(open.hostNamespace(), UdpEchoMain.class, "40000");
    LabProcess agent = turnAgent(symmetric);
    echo.awaitValue("BOUND ", STEP);
    Endpoint relayed = Endpoint.parse(agent.awaitValue("RELAYED ", STEP));
    Endpoint mapped = Endpoint.parse(agent.awaitValue("MAPPED ", STEP));
    assertEquals(Lab.STUN_PRIMARY, relayed.host(), "coturn relays from its --relay-ip");
    assertEquals(symmetric.publicAddress(), mapped.host(), "the TURN server sees the symmetric router");

    agent.send("PERMIT " + open.hostAddress());
    agent.awaitValue("PERMITTED ", STEP);
    agent.send("SENDIND " + open.hostAddress() + ":40000 via-indication");
    echo.awaitLine(l -> l.equals("GOT via-indication FROM /" + relayed), STEP);
    assertEquals("echo:via-indication", agent.awaitValue("INDICATION ", STEP));
    agent.send("REFRESH");
    assertTrue(Long.parseLong(agent.awaitValue("REFRESHED ", STEP)) > 0, "refresh grants a lifetime");

    agent.send("BIND " + open.hostAddress() + ":40000");
    int channel = Integer.parseInt(agent.awaitValue("BOUND ", STEP));
    assertTrue(channel >= 0x4000 && channel <= 0x4FFF, "channel number " + channel);
    agent.send("SEND hello-through-turn");
    // The peer sees the relayed address as the sender, and its echo comes back on the channel.
    echo.awaitLine(l -> l.equals("GOT hello-through-turn FROM /" + relayed), STEP);
    assertEquals("echo:hello-through-turn", agent.awaitValue("DATA ", STEP));
    agent.send("QUIT");
    agent.awaitValue("BYE", STEP);
    echo.close();
  }

  @Test
  @LabTest(needs = {LabTest.Need.NAT, LabTest.Need.WIREGUARD_GO})
  void relayForwarderCarriesAWireGuardHandshakeAndPingBetweenSymmetricAndPortRestricted() {
    Peer a = new Peer(symmetric, lab.interfaceName("wga"), "10.77.0.1");
    Peer b = new Peer(portRestricted, lab.interfaceName("wgb"), "10.77.0.2");
    LabProcess agentA = turnAgent(symmetric);
    LabProcess agentB = turnAgent(portRestricted);
    Endpoint relayedA = Endpoint.parse(agentA.awaitValue("RELAYED ", STEP));
    Endpoint relayedB = Endpoint.parse(agentB.awaitValue("RELAYED ", STEP));
    assertNotEquals(relayedA, relayedB);

    agentA.send("FORWARD " + relayedB + " " + Peer.PORT);
    agentB.send("FORWARD " + relayedA + " " + Peer.PORT);
    Endpoint forwarderA = Endpoint.parse(agentA.awaitValue("FORWARDER ", STEP));
    Endpoint forwarderB = Endpoint.parse(agentB.awaitValue("FORWARDER ", STEP));
    assertEquals("127.0.0.1", forwarderA.host());

    a.configure(b, forwarderA);
    b.configure(a, forwarderB);
    long start = System.nanoTime();
    Lab.await("a ping from 10.77.0.1 to 10.77.0.2 over the relayed tunnel", Duration.ofSeconds(30),
        () -> lab.run(a.site.hostNamespace(), "ping", "-c", "1", "-W", "1", b.address).ok());
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.println("relayed WireGuard tunnel symmetric <-> port-restricted: first ping after " + millis + " ms");

    CommandResult handshakes = lab.run(a.site.hostNamespace(), "wg", "show", a.ifName, "latest-handshakes").orThrow();
    assertTrue(!handshakes.output().strip().endsWith("\t0"), "a handshake completed: " + handshakes.output());
    CommandResult endpoints = lab.run(a.site.hostNamespace(), "wg", "show", a.ifName, "endpoints").orThrow();
    assertTrue(endpoints.output().contains(forwarderA.toString()),
        "WireGuard still talks to the loopback forwarder: " + endpoints.output());
    agentA.send("STATS");
    String[] stats = agentA.awaitValue("STATS ", STEP).split(" ");
    assertTrue(Long.parseLong(stats[0]) > 0 && Long.parseLong(stats[1]) > 0, "forwarded both ways: " + String.join(" ", stats));
  }

  /** One wireguard-go interface in a host namespace, configured with `wg`. */
  private static final class Peer {
    static final int PORT = 51820;
    final LabSite site;
    final String ifName;
    final String address;
    final Path key;
    final String publicKey;

    Peer(LabSite site, String ifName, String address) {
      this.site = site;
      this.ifName = ifName;
      this.address = address;
      this.key = lab.wireGuardKey(ifName);
      this.publicKey = lab.wireGuardPublicKey(key);
      lab.startWireGuardGo(site.hostNamespace(), ifName);
      lab.run(site.hostNamespace(), "ip", "addr", "add", address + "/24", "dev", ifName).orThrow();
      lab.run(site.hostNamespace(), "ip", "link", "set", ifName, "up").orThrow();
    }

    void configure(Peer other, Endpoint endpoint) {
      lab.run(site.hostNamespace(), "wg", "set", ifName, "private-key", key.toString(), "listen-port",
          Integer.toString(PORT), "peer", other.publicKey, "endpoint", endpoint.toString(), "allowed-ips",
          other.address + "/32", "persistent-keepalive", "1").orThrow();
    }
  }
}
