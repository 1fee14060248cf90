package io.partynet.wireguard.jna.internal.netlink;

import io.partynet.wireguard.jna.internal.device.Errno;
import io.partynet.wireguard.jna.internal.device.ErrnoException;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clears the way for a new kernel WireGuard link when an earlier process died without deleting
 * its own (a JVM killed with SIGKILL): the kernel keeps the link, with its key, port and peers,
 * and creating it again fails with EEXIST. The backend marks every link it creates with the alias
 * {@link #MARKER} ({@code ip link} shows it); a link with the requested name, of kind
 * {@code wireguard} and with that alias is such a leftover and is deleted, so the new interface
 * starts from nothing (it is not adopted: its key, peers or address may be another party's). Any
 * other link with the name (the user's own WireGuard interface, a veth, a TUN) is refused and left
 * alone. A link made by a version before the marker is refused too, with the command to remove it.
 *
 * <p>Stateless and thread-safe.
 */
final class LeftoverLinks {
  private static final Logger LOG = LoggerFactory.getLogger(LeftoverLinks.class);
  /** The alias of every kernel WireGuard link this backend creates. */
  static final String MARKER = "partynet: kernel WireGuard link of the PartyNet SDK";
  private static final String KIND = "wireguard";

  /** What to do about the link that holds the requested name. */
  enum Decision {
    /** No link has the name. */
    NONE,
    /** A link this backend created and nobody deleted: delete it, then create anew. */
    REPLACE,
    /** Someone else's link: leave it alone and fail. */
    REFUSE
  }

  private LeftoverLinks() {
  }

  static Decision decide(Optional<LinkInfo> link) {
    if (link.isEmpty()) {
      return Decision.NONE;
    }
    boolean ours = link.get().kind().map(KIND::equals).orElse(false)
        && link.get().alias().map(MARKER::equals).orElse(false);
    return ours ? Decision.REPLACE : Decision.REFUSE;
  }

  /**
   * Returns when no link named {@code name} exists: at once, or after deleting a leftover of ours.
   *
   * @throws ErrnoException EEXIST, saying whose link it may be and how to remove it, for a link
   *     that is not a leftover of this backend
   */
  static void replaceIfLeftOver(RtNetlink rtnl, String name) throws IOException {
    Optional<LinkInfo> link = rtnl.link(name);
    switch (decide(link)) {
      case NONE -> { }
      case REFUSE -> throw new ErrnoException("create WireGuard link " + name, Errno.EEXIST.number(),
          "a link named " + name + " (kind " + link.get().kind().orElse("unknown") + ") exists and was not created by"
          + " the PartyNet SDK; it is left untouched: remove it (ip link del " + name + ") or configure another"
          + " interface name");
      case REPLACE -> {
        LOG.info("kernel WireGuard link {} was left by an earlier PartyNet process (killed without cleanup?);"
            + " deleting it and creating a fresh one", name);
        try {
          rtnl.deleteLink(link.get().index());
        } catch (ErrnoException e) {
          if (e.errno() != Errno.ENODEV) {
            throw e;
          }
          LOG.debug("link {} vanished before we deleted it", name);
        }
      }
    }
  }
}
