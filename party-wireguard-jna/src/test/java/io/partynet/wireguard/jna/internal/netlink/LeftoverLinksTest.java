package io.partynet.wireguard.jna.internal.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.partynet.wireguard.jna.internal.netlink.LeftoverLinks.Decision;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Which link holding the requested name the netlink backend deletes: only a kernel WireGuard link
 * with its own marker. The delete itself runs against a real kernel in KernelWireGuardQemuTest.
 */
class LeftoverLinksTest {

  private static Optional<LinkInfo> link(String kind, String alias) {
    return Optional.of(new LinkInfo(7, "partynet0", 0, 1420, Optional.ofNullable(kind), Optional.ofNullable(alias)));
  }

  @Test
  void aFreeNameNeedsNothing() {
    assertEquals(Decision.NONE, LeftoverLinks.decide(Optional.empty()));
  }

  @Test
  void aMarkedWireGuardLinkIsALeftoverOfOursAndIsReplaced() {
    assertEquals(Decision.REPLACE, LeftoverLinks.decide(link("wireguard", LeftoverLinks.MARKER)));
  }

  @Test
  void everyOtherLinkIsRefused() {
    assertEquals(Decision.REFUSE, LeftoverLinks.decide(link("wireguard", null)), "the user's own (wg-quick) or an older SDK's");
    assertEquals(Decision.REFUSE, LeftoverLinks.decide(link("wireguard", "office vpn")));
    assertEquals(Decision.REFUSE, LeftoverLinks.decide(link("tun", LeftoverLinks.MARKER)), "marked, but not kernel WireGuard");
    assertEquals(Decision.REFUSE, LeftoverLinks.decide(link(null, LeftoverLinks.MARKER)), "kind not reported");
  }
}
