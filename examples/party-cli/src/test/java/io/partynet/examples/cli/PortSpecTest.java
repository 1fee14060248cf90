package io.partynet.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.TransportProtocol;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class PortSpecTest {

  @Test
  void exposeDefaultsToTheSamePortOnLoopback() throws CliException {
    assertEquals(new PortSpec.Expose(TransportProtocol.TCP, 25565, "127.0.0.1", 25565),
        PortSpec.expose("tcp", "25565", null));
    assertEquals(new PortSpec.Expose(TransportProtocol.UDP, 7777, "::1", 7778),
        PortSpec.expose("UDP", "7777", "[::1]:7778"));
    assertEquals(new PortSpec.Expose(TransportProtocol.TCP, 80, "192.168.1.5", 8080),
        PortSpec.exposeOption("tcp:80:192.168.1.5:8080"));
    assertEquals(PortSpec.expose("udp", "7777", null), PortSpec.exposeOption("udp:7777"));
  }

  @Test
  void forwardReadsLikeSshLocalForwarding() throws CliException {
    assertEquals(new PortSpec.Forward(TransportProtocol.TCP, 0, "10.77.0.1", 25565),
        PortSpec.forward("tcp", "0", "10.77.0.1:25565"));
    assertEquals(new PortSpec.Forward(TransportProtocol.UDP, 7777, "10.77.0.2", 7777),
        PortSpec.forwardOption("udp:7777:10.77.0.2:7777"));
  }

  @Test
  void badInputIsAUsageErrorThatSaysWhatIsExpected() {
    assertUsage(() -> PortSpec.expose("sctp", "80", null), "tcp or udp");
    assertUsage(() -> PortSpec.expose("tcp", "0", null), "1 to 65535");
    assertUsage(() -> PortSpec.expose("tcp", "65536", null), "1 to 65535");
    assertUsage(() -> PortSpec.expose("tcp", "http", null), "1 to 65535");
    assertUsage(() -> PortSpec.expose("tcp", "80", "localhost:80"), "IP address");
    assertUsage(() -> PortSpec.expose("tcp", "80", "127.0.0.1"), "HOST:PORT");
    assertUsage(() -> PortSpec.expose("tcp", "80", "::1:80"), "brackets");
    assertUsage(() -> PortSpec.forward("tcp", "-1", "10.77.0.1:80"), "0 to 65535");
    assertUsage(() -> PortSpec.forward("tcp", "0", "10.77.0.256:80"), "virtual IPv4");
    assertUsage(() -> PortSpec.forward("tcp", "0", "game.example:80"), "virtual IPv4");
    assertUsage(() -> PortSpec.forward("udp", "0", "10.77.0.1:0"), "1 to 65535");
    assertUsage(() -> PortSpec.forward("udp", "0", "10.77.0.1:"), "HOST:PORT");
    assertUsage(() -> PortSpec.exposeOption("tcp"), "PROTOCOL:PORT");
    assertUsage(() -> PortSpec.forwardOption("tcp:25565"), "PROTOCOL:LOCAL_PORT:VIRTUAL_IP:PORT");
    assertUsage(() -> PortSpec.ofRequest("expose tcp"), "malformed");
  }

  @Test
  void commandLinesCarryTheirSpecs() throws CliException {
    CommandLine expose = CommandLine.parse(new String[] {"expose", "udp", "7777", "--to", "127.0.0.1:7000", "--json"});
    assertEquals(List.of(new PortSpec.Expose(TransportProtocol.UDP, 7777, "127.0.0.1", 7000)), expose.portSpecs());
    CommandLine create = CommandLine.parse(new String[] {"create", "LAN", "--expose", "tcp:25565",
        "--forward=udp:0:10.77.0.2:7777", "--expose", "udp:7777"});
    assertEquals(3, create.portSpecs().size());
    assertUsage(() -> CommandLine.parse(new String[] {"forward", "tcp", "25565"}), "3 arguments");
    assertUsage(() -> CommandLine.parse(new String[] {"status", "--expose", "tcp:1"}), "does not take --expose");
    assertUsage(() -> CommandLine.parse(new String[] {"create", "LAN", "--expose", "tcp:99999"}), "1 to 65535");
    assertEquals(List.of(new PortSpec.Socks(1080)), CommandLine.parse(new String[] {"socks", "1080"}).portSpecs());
    assertEquals(List.of(new PortSpec.Socks(0)),
        CommandLine.parse(new String[] {"join", "7KQ2-M9XD-4RTX", "--name", "bob", "--socks", "0"}).portSpecs());
    assertUsage(() -> CommandLine.parse(new String[] {"socks", "70000"}), "0 to 65535");
    assertUsage(() -> CommandLine.parse(new String[] {"socks"}), "one argument");
  }

  @Property
  void everyRequestLineParsesBackToItsSpec(@ForAll("specs") PortSpec spec) throws CliException {
    assertEquals(spec, PortSpec.ofRequest(spec.requestLine()));
  }

  @Provide
  Arbitrary<PortSpec> specs() {
    Arbitrary<TransportProtocol> protocols = Arbitraries.of(TransportProtocol.class);
    Arbitrary<Integer> ports = Arbitraries.integers().between(1, 65535);
    Arbitrary<String> ipv4 = Arbitraries.integers().between(0, 255).list().ofSize(4)
        .map(o -> o.get(0) + "." + o.get(1) + "." + o.get(2) + "." + o.get(3));
    Arbitrary<String> hosts = Arbitraries.oneOf(ipv4, Arbitraries.of("::1", "fd00::5", "::ffff:10.0.0.1"));
    Arbitrary<PortSpec> exposes = Combinators.combine(protocols, ports, hosts, ports).as(PortSpec.Expose::new);
    Arbitrary<PortSpec> forwards = Combinators.combine(protocols, Arbitraries.integers().between(0, 65535), ipv4, ports)
        .as(PortSpec.Forward::new);
    Arbitrary<PortSpec> socks = Arbitraries.integers().between(0, 65535).map(PortSpec.Socks::new);
    return Arbitraries.oneOf(exposes, forwards, socks);
  }

  private static void assertUsage(org.junit.jupiter.api.function.Executable parse, String expected) {
    CliException e = assertThrows(CliException.class, parse);
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
