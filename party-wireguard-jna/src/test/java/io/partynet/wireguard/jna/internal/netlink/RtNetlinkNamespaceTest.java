package io.partynet.wireguard.jna.internal.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.partynet.IpPrefix;
import io.partynet.wireguard.jna.internal.device.Errno;
import io.partynet.wireguard.jna.internal.device.ErrnoException;
import io.partynet.testing.lab.Lab;
import io.partynet.testing.lab.LabTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rtnetlink code against the real kernel, inside a throw-away namespace: create a veth link
 * (this kernel has no dummy module), set its MTU, address and raise it, read it back both through
 * our RTM_GET parsing and through {@code ip -j}, delete it.
 */
@LabTest
class RtNetlinkNamespaceTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final ObjectMapper JSON = new ObjectMapper();
  private Lab lab;
  private String ns;

  @BeforeEach
  void createNamespace() throws Exception {
    lab = Lab.open();
    ns = lab.addNamespace("r");
  }

  @AfterEach
  void deleteNamespace() throws Exception {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void createsAddressesRaisesAndDeletesALink() throws Exception {
    String name = lab.interfaceName("v");
    try (RtNetlink rtnl = RtNetlink.open(NetworkNamespace.named(ns), TIMEOUT)) {
      int index = rtnl.createLink(name, "veth");
      rtnl.setMtu(index, 1380);
      rtnl.addAddress(index, IpPrefix.parse("10.77.3.4/24"));
      rtnl.addAddress(index, IpPrefix.parse("fd77::4/64"));
      rtnl.setUp(index, true);

      LinkInfo link = rtnl.link(name).orElseThrow();
      assertEquals(index, link.index());
      assertEquals(1380, link.mtu());
      assertTrue(link.isUp(), "IFF_UP must be set");
      assertEquals(Optional.of("veth"), link.kind());
      assertTrue(rtnl.links().stream().anyMatch(l -> l.name().equals(name) && l.index() == index));
      List<IpPrefix> ours = rtnl.addresses(index).stream().map(AddressInfo::prefix).toList();
      assertTrue(ours.containsAll(List.of(IpPrefix.parse("10.77.3.4/24"), IpPrefix.parse("fd77::4/64"))), ours::toString);

      JsonNode ip = JSON.readTree(lab.run(ns, "ip", "-j", "addr", "show", "dev", name).orThrow().output()).get(0);
      assertEquals(index, ip.get("ifindex").asInt());
      assertEquals(1380, ip.get("mtu").asInt());
      assertTrue(ip.get("flags").toString().contains("\"UP\""), ip.toString());
      List<IpPrefix> seenByIp = new ArrayList<>();
      ip.get("addr_info").forEach(a -> seenByIp.add(new IpPrefix(a.get("local").asText(), a.get("prefixlen").asInt())));
      assertTrue(seenByIp.containsAll(ours), "ip sees " + seenByIp + ", we see " + ours);
      assertTrue(ours.containsAll(seenByIp.stream().filter(p -> !p.address().startsWith("fe80")).toList()),
          "we see " + ours + ", ip sees " + seenByIp);

      rtnl.setUp(index, false);
      assertFalse(rtnl.link(name).orElseThrow().isUp());
      rtnl.deleteLink(index);
      assertEquals(Optional.empty(), rtnl.link(name));
      assertFalse(lab.run(ns, "ip", "-o", "link").orThrow().output().contains(name));
    }
  }

  @Test
  void theLeftoverMarkerIsAnAliasIpShowsAndAnUnmarkedLinkIsRefusedUntouched() throws Exception {
    String name = lab.interfaceName("v");
    try (RtNetlink rtnl = RtNetlink.open(NetworkNamespace.named(ns), TIMEOUT)) {
      int index = rtnl.createLink(name, "veth");
      rtnl.setAlias(index, LeftoverLinks.MARKER);
      assertEquals(Optional.of(LeftoverLinks.MARKER), rtnl.link(name).orElseThrow().alias());
      JsonNode ip = JSON.readTree(lab.run(ns, "ip", "-j", "link", "show", "dev", name).orThrow().output()).get(0);
      assertEquals(LeftoverLinks.MARKER, ip.get("ifalias").asText(), ip.toString());

      ErrnoException refused = assertThrows(ErrnoException.class, () -> LeftoverLinks.replaceIfLeftOver(rtnl, name));
      assertEquals(Errno.EEXIST, refused.errno());
      assertTrue(refused.getMessage().contains("ip link del " + name), refused.getMessage());
      assertEquals(index, rtnl.link(name).orElseThrow().index(), "a veth, even marked, is not ours to delete");

      LeftoverLinks.replaceIfLeftOver(rtnl, lab.interfaceName("f"));
    }
  }

  @Test
  void kernelErrorsBecomeTypedErrnoExceptions() throws Exception {
    try (RtNetlink rtnl = RtNetlink.open(NetworkNamespace.named(ns), TIMEOUT)) {
      String name = lab.interfaceName("v");
      rtnl.createLink(name, "veth");
      ErrnoException exists = assertThrows(ErrnoException.class, () -> rtnl.createLink(name, "veth"));
      assertEquals(Errno.EEXIST, exists.errno());
      ErrnoException unknownKind = assertThrows(ErrnoException.class, () -> rtnl.createLink(lab.interfaceName("x"), "pnwnosuchkind"));
      assertEquals(Errno.EOPNOTSUPP, unknownKind.errno());
      ErrnoException noDevice = assertThrows(ErrnoException.class, () -> rtnl.deleteLink(999_999));
      assertEquals(Errno.ENODEV, noDevice.errno());
    }
  }

  @Test
  void genericNetlinkResolvesTheControllerAndReportsMissingFamilies() throws Exception {
    try (GenericNetlink genl = GenericNetlink.open(NetworkNamespace.named(ns), TIMEOUT)) {
      assertEquals(GenlMessages.GENL_ID_CTRL, genl.familyId("nlctrl").orElseThrow());
      assertTrue(genl.familyId("pnwnofamily").isEmpty());
    }
  }
}
