package io.partynet.testing.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The lab's own promises: reachability through the routers, conntrack flushing, and a clean teardown. */
class LabSelfTest {

  @Test
  @LabTest(needs = LabTest.Need.NAT, tools = "ping")
  void sitesReachTheInternetOnlyOutwardAndCloseLeavesNothingBehind() throws IOException, InterruptedException {
    Lab lab = Lab.withInternet();
    LabProcess sleeper;
    String prefix = lab.prefix();
    try {
      LabSite open = lab.addSite(NatKind.OPEN);
      LabSite home = lab.addSite(NatKind.PORT_RESTRICTED_CONE);
      assertTrue(lab.run(home.hostNamespace(), "ping", "-c", "1", "-W", "2", Lab.STUN_PRIMARY).ok(),
          "a host behind a router reaches the internet");
      assertTrue(lab.run(home.hostNamespace(), "ping", "-c", "1", "-W", "2", open.hostAddress()).ok(),
          "and an open host");
      assertFalse(lab.run(open.hostNamespace(), "ping", "-c", "1", "-W", "1", home.hostAddress()).ok(),
          "but nothing on the internet reaches a private address");
      assertFalse(lab.run(open.hostNamespace(), "ping", "-c", "1", "-W", "1", home.publicAddress()).ok(),
          "and the router's firewall drops unsolicited traffic");

      String router = home.router().orElseThrow();
      assertTrue(lab.run(router, "conntrack", "-L").output().contains("dst=" + Lab.STUN_PRIMARY),
          "the outbound ping left a conntrack entry");
      lab.flushConntrack(home);
      assertFalse(lab.run(router, "conntrack", "-L").output().contains("dst=" + Lab.STUN_PRIMARY),
          "flushConntrack forgets every mapping");

      sleeper = lab.start(home.hostNamespace(), "sleeper", "sleep", "600");
      assertTrue(sleeper.isAlive());
    } finally {
      lab.close();
    }
    assertFalse(sleeper.isAlive(), "close() ends the processes the lab started");
    String namespaces = namespaces();
    assertFalse(namespaces.contains(prefix), "close() deletes every namespace: " + namespaces);
  }

  @Test
  @LabTest
  void anEmptyLabMakesNamespacesAndVethsAndRemovesThem() {
    String a;
    String rootSide;
    try (Lab lab = Lab.open()) {
      a = lab.addNamespace("a");
      rootSide = lab.interfaceName("r");
      lab.veth(null, rootSide, a, lab.interfaceName("a"));
      assertTrue(lab.run(a, "ip", "-o", "link").orThrow().output().contains(lab.interfaceName("a")));
      assertTrue(Commands.run("ip", "-o", "link").orThrow().output().contains(rootSide));
      assertThrows(IllegalStateException.class, () -> lab.addSite(NatKind.OPEN), "no internet in an empty lab");
    }
    assertFalse(Commands.run("ip", "-o", "link").output().contains(rootSide), "the root side of the veth is gone");
    assertFalse(Commands.run("ip", "netns", "list").output().contains(a), "and the namespace");
  }

  @Test
  void awaitFailsWithWhatItWaitedFor() {
    LabException e = assertThrows(LabException.class,
        () -> Lab.await("godot", Duration.ofMillis(100), () -> false));
    assertEquals("timed out after 100 ms waiting for godot", e.getMessage());
  }

  @Test
  void aMissingToolIsNamedInTheSkipMessage() {
    String missing = LabCondition.missing(java.util.Set.of("ip", "no-such-lab-tool"), false).orElseThrow();
    assertTrue(missing.contains("no-such-lab-tool") || missing.contains("root") || missing.contains("Linux"), missing);
    if (Commands.isLinux() && Commands.isRoot()) {
      assertEquals("needs [no-such-lab-tool] on the PATH (the packages .ci/run installs)", missing);
    }
  }

  private static String namespaces() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(10, TimeUnit.SECONDS), "ip netns list finishes");
    return out;
  }
}
