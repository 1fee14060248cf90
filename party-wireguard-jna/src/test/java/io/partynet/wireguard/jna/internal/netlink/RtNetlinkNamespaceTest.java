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
import io.partynet.wireguard.jna.internal.lab.Lab;
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
class RtNetlinkNamespaceTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final ObjectMapper JSON = new ObjectMapper();
  private Lab.Namespace ns;

  @BeforeEach
  void createNamespace() throws Exception {
    Lab.assumeLab("ip");
    ns = Lab.Namespace.create("pnwr");
  }

  @AfterEach
  void deleteNamespace() throws Exception {
    if (ns != null) {
      ns.close();
    }
  }

  @Test
  void createsAddressesRaisesAndDeletesALink() throws Exception {
    String name = "pnwv" + Lab.suffix();
    try (RtNetlink rtnl = RtNetlink.open(NetworkNamespace.named(ns.name()), TIMEOUT)) {
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

      JsonNode ip = JSON.readTree(ns.exec("ip", "-j", "addr", "show", "dev", name)).get(0);
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
      assertFalse(ns.exec("ip", "-o", "link").contains(name));
    }
  }

  @Test
  void kernelErrorsBecomeTypedErrnoExceptions() throws Exception {
    try (RtNetlink rtnl = RtNetlink.open(NetworkNamespace.named(ns.name()), TIMEOUT)) {
      String name = "pnwv" + Lab.suffix();
      rtnl.createLink(name, "veth");
      ErrnoException exists = assertThrows(ErrnoException.class, () -> rtnl.createLink(name, "veth"));
      assertEquals(Errno.EEXIST, exists.errno());
      ErrnoException unknownKind = assertThrows(ErrnoException.class, () -> rtnl.createLink("pnwx" + Lab.suffix(), "pnwnosuchkind"));
      assertEquals(Errno.EOPNOTSUPP, unknownKind.errno());
      ErrnoException noDevice = assertThrows(ErrnoException.class, () -> rtnl.deleteLink(999_999));
      assertEquals(Errno.ENODEV, noDevice.errno());
    }
  }

  @Test
  void genericNetlinkResolvesTheControllerAndReportsMissingFamilies() throws Exception {
    try (GenericNetlink genl = GenericNetlink.open(NetworkNamespace.named(ns.name()), TIMEOUT)) {
      assertEquals(GenlMessages.GENL_ID_CTRL, genl.familyId("nlctrl").orElseThrow());
      assertTrue(genl.familyId("pnwnofamily").isEmpty());
    }
  }
}
