package io.partynet.wireguard.jna.internal.uapi;

import io.partynet.wireguard.jna.internal.device.Errno;
import io.partynet.wireguard.jna.internal.device.ErrnoException;
import io.partynet.wireguard.jna.internal.netlink.LinkInfo;
import io.partynet.wireguard.jna.internal.netlink.RtNetlink;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clears the way for a new daemon when an earlier process died without stopping its own (a JVM
 * killed with SIGKILL): that daemon keeps running with the interface up. Such a
 * leftover is recognised by two facts together, a TUN link with the interface's name in this
 * network namespace and a UAPI socket for that name that answers; it is replaced rather than
 * adopted, so the new interface starts from nothing (no stale address, peer or route). Deleting
 * the link is how it is stopped: the daemon exits when its TUN device disappears, and this needs
 * no process id. Any other link with the name is refused and left alone.
 *
 * <p>Stateless and thread-safe.
 */
final class LeftoverDaemons {
  private static final Logger LOG = LoggerFactory.getLogger(LeftoverDaemons.class);
  private static final String TUN_KIND = "tun";
  private static final long POLL_MILLIS = 20;

  private LeftoverDaemons() {
  }

  /**
   * Returns when no link named {@code interfaceName} exists in {@code rtnl}'s namespace: at once
   * when there is none, or after stopping a leftover daemon (waiting at most {@code timeout} for
   * its socket to go quiet). A link that is not a userspace WireGuard interface is refused.
   *
   * @throws InterfaceNameTakenException when the name belongs to a link no WireGuard daemon serves
   * @throws IOException when the leftover daemon still answers after {@code timeout}
   */
  static void replaceIfLeftOver(RtNetlink rtnl, String interfaceName, Path socket, Duration timeout,
      LongSupplier nanoTime) throws IOException {
    Optional<LinkInfo> link = rtnl.link(interfaceName);
    if (link.isEmpty()) {
      return;
    }
    boolean tun = link.get().kind().map(TUN_KIND::equals).orElse(false);
    if (!tun || !UserspaceDaemon.answers(socket)) {
      throw new InterfaceNameTakenException(interfaceName, link.get().kind());
    }
    LOG.info("interface {} is still served by a userspace WireGuard daemon an earlier process left running"
        + " (killed without cleanup?); deleting the interface so that daemon exits, then starting a fresh one",
        interfaceName);
    try {
      rtnl.deleteLink(link.get().index());
    } catch (ErrnoException e) {
      if (e.errno() != Errno.ENODEV) {
        throw e;
      }
      LOG.debug("interface {} vanished before we deleted it", interfaceName);
    }
    awaitSilence(interfaceName, socket, timeout, nanoTime);
    LOG.info("the leftover daemon for {} has stopped", interfaceName);
  }

  private static void awaitSilence(String interfaceName, Path socket, Duration timeout, LongSupplier nanoTime)
      throws IOException {
    long deadline = nanoTime.getAsLong() + timeout.toNanos();
    while (UserspaceDaemon.answers(socket)) {
      if (nanoTime.getAsLong() > deadline) {
        throw new IOException("the leftover WireGuard daemon for " + interfaceName + " still answers on " + socket
            + " " + timeout + " after its interface was deleted; stop that process (it owns the socket)");
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for the leftover daemon of " + interfaceName + " to stop", e);
      }
    }
  }
}
