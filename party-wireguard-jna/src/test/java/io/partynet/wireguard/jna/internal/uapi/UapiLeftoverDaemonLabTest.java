package io.partynet.wireguard.jna.internal.uapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Endpoint;
import io.partynet.IpPrefix;
import io.partynet.spi.InterfaceConfig;
import io.partynet.spi.PeerConfig;
import io.partynet.testing.lab.Lab;
import io.partynet.testing.lab.LabProcess;
import io.partynet.testing.lab.LabTest;
import io.partynet.wireguard.jna.internal.lab.WgDump;
import io.partynet.wireguard.jna.internal.lab.X25519Keys;
import io.partynet.wireguard.jna.internal.netlink.NetworkNamespace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 item 8: a member killed with SIGKILL leaves its wireguard-go running with the interface
 * up. A member in a child JVM brings up the {@code uapi} backend in namespace A and is killed; a
 * new {@link UapiBackend} with the same interface name then comes up with a new key, port, address
 * and peer, served by exactly one wireguard-go, and a ping reaches namespace B through it. A link
 * with the name that no WireGuard daemon serves is refused and left as it was. About 10 s.
 */
@LabTest(needs = LabTest.Need.WIREGUARD_GO, tools = {"ping", "wg"})
class UapiLeftoverDaemonLabTest {
  private static final IpPrefix TUNNEL_A = IpPrefix.parse("10.77.10.1/24");
  private static final IpPrefix TUNNEL_B = IpPrefix.parse("10.77.10.2/24");
  private static final String OLD_ADDRESS = "10.77.10.9/24";
  private Lab lab;
  private String a;
  private String b;
  private UapiBackend backendA;
  private UapiBackend backendB;
  private long leftoverPid;

  @BeforeEach
  void lab() {
    lab = Lab.open();
    a = lab.addNamespace("a");
    b = lab.addNamespace("b");
    lab.veth(a, lab.interfaceName("ea"), b, lab.interfaceName("eb"));
    lab.ip(a, "addr", "add", "198.51.100.1/24", "dev", lab.interfaceName("ea"));
    lab.ip(b, "addr", "add", "198.51.100.2/24", "dev", lab.interfaceName("eb"));
  }

  @AfterEach
  void cleanUp() throws Exception {
    // Should the test fail before the replacement, the orphan would keep namespace A alive.
    ProcessHandle.of(leftoverPid).ifPresent(ProcessHandle::destroyForcibly);
    for (AutoCloseable c : new AutoCloseable[] {backendA, backendB, lab}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @Test
  void aDaemonLeftRunningByAKilledMemberIsReplacedAndTheNewConfigurationCarriesTraffic() throws Exception {
    String ifA = lab.interfaceName("wga");
    LabProcess oldMember = lab.startJava(a, AbandonedUapiMember.class, ifA, OLD_ADDRESS, "51830", "10.77.10.99/32");
    leftoverPid = Long.parseLong(oldMember.awaitValue("daemon-pid=", Duration.ofSeconds(20)).strip());
    oldMember.kill();
    assertFalse(oldMember.isAlive());
    assertEquals(List.of(leftoverPid), daemonsServing(ifA), "the killed member's wireguard-go keeps running");
    assertEquals(51830, wgDump(a, ifA).listenPort());
    assertTrue(lab.run(a, "ip", "-o", "addr", "show", "dev", ifA).orThrow().output().contains(OLD_ADDRESS));

    X25519Keys keysA = X25519Keys.generate();
    X25519Keys keysB = X25519Keys.generate();
    String ifB = lab.interfaceName("wgb");
    backendB = new UapiBackend(UapiBackend.Options.defaults().inNamespace(NetworkNamespace.named(b)));
    int portB = backendB.up(new InterfaceConfig(ifB, keysB.privateKey(), 0, TUNNEL_B, 1420));
    backendA = new UapiBackend(UapiBackend.Options.defaults().inNamespace(NetworkNamespace.named(a)));
    assertEquals(51820, backendA.up(new InterfaceConfig(ifA, keysA.privateKey(), 51820, TUNNEL_A, 1420)));
    backendA.addPeer(new PeerConfig(keysB.publicKey(), null, new Endpoint("198.51.100.2", portB),
        List.of(IpPrefix.parse("10.77.10.2/32")), 0));
    backendB.addPeer(new PeerConfig(keysA.publicKey(), null, new Endpoint("198.51.100.1", 51820),
        List.of(IpPrefix.parse("10.77.10.1/32")), 0));

    long newPid = backendA.daemonPid().orElseThrow();
    assertNotEquals(leftoverPid, newPid);
    assertEquals(List.of(newPid), daemonsServing(ifA), "exactly one wireguard-go serves " + ifA + ", the new one");
    WgDump dump = wgDump(a, ifA);
    assertEquals(Optional.of(keysA.publicKey()), dump.publicKey(), "the new private key (wg shows it clamped)");
    assertEquals(51820, dump.listenPort(), "the new port");
    assertEquals(List.of(keysB.publicKey()), dump.peers().stream().map(WgDump.Peer::publicKey).toList(),
        "the new peer only; the old one is gone");
    String addresses = lab.run(a, "ip", "-o", "addr", "show", "dev", ifA).orThrow().output();
    assertTrue(addresses.contains(TUNNEL_A.toString()), addresses);
    assertFalse(addresses.contains(OLD_ADDRESS), "the old address went with the old interface: " + addresses);
    Lab.await("a ping over the replaced interface from A to B", Duration.ofSeconds(15),
        () -> lab.run(a, Duration.ofSeconds(5), "ping", "-c", "1", "-W", "1", "10.77.10.2").ok());
  }

  @Test
  void aNameHeldByALinkNoWireGuardDaemonServesIsRefusedAndLeftAlone() throws Exception {
    String veth = lab.interfaceName("vt");
    lab.ip(a, "link", "add", veth, "type", "veth", "peer", "name", lab.interfaceName("vp"));
    String tun = lab.interfaceName("tn");
    lab.ip(a, "tuntap", "add", "dev", tun, "mode", "tun");
    backendA = new UapiBackend(UapiBackend.Options.defaults().inNamespace(NetworkNamespace.named(a)));

    for (String name : List.of(veth, tun)) {
      InterfaceNameTakenException refused = assertThrows(InterfaceNameTakenException.class,
          () -> backendA.up(new InterfaceConfig(name, X25519Keys.generate().privateKey(), 0, TUNNEL_A, 1420)));
      assertEquals(name, refused.interfaceName());
      assertTrue(refused.getMessage().contains(name) && refused.getMessage().contains("left untouched"),
          refused.getMessage());
      assertFalse(backendA.isUp());
      assertEquals(List.of(), daemonsServing(name), "no daemon was started for " + name);
      String link = lab.run(a, "ip", "-d", "-o", "addr", "show", "dev", name).orThrow().output();
      assertFalse(link.contains(TUNNEL_A.address()), "no address was added to " + name + ": " + link);
    }
    assertEquals(Optional.of("veth"), kindOf(veth));
    assertEquals(Optional.of("tun"), kindOf(tun));
  }

  private Optional<String> kindOf(String name) {
    String details = lab.run(a, "ip", "-d", "-o", "link", "show", "dev", name).orThrow().output();
    return Stream.of("veth", "tun").filter(kind -> details.contains(" " + kind + " ")).findFirst();
  }

  private WgDump wgDump(String namespace, String ifName) {
    return WgDump.parse(lab.run(namespace, "wg", "show", ifName, "dump").orThrow().output());
  }

  /** Process ids of live wireguard-go processes started as {@code wireguard-go -f IFNAME} (zombies have no command line). */
  private static List<Long> daemonsServing(String ifName) throws IOException {
    try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
      return entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
          .filter(p -> servesInterface(p.resolve("cmdline"), ifName))
          .map(p -> Long.parseLong(p.getFileName().toString())).sorted().toList();
    }
  }

  private static boolean servesInterface(Path cmdline, String ifName) {
    try {
      List<String> args = List.of(new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).split("\0"));
      return args.size() == 3 && args.get(0).endsWith("wireguard-go") && args.get(1).equals("-f")
          && args.get(2).equals(ifName);
    } catch (IOException e) {
      return false;
    }
  }
}
