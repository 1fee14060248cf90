package io.partynet.wireguard.jna.internal.netlink;

import io.partynet.IpPrefix;
import io.partynet.wireguard.jna.internal.device.Errno;
import io.partynet.wireguard.jna.internal.device.ErrnoException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Interface and address management through rtnetlink (NETLINK_ROUTE): create a link of a kind,
 * set its MTU, raise it, address it, read links and addresses back, delete it. Works in the
 * namespace the socket was opened in; needs CAP_NET_ADMIN for changes.
 *
 * <p>Thread-safe: requests are serialised on one socket.
 */
public final class RtNetlink implements AutoCloseable {
  private final NetlinkSocket socket;

  private RtNetlink(NetlinkSocket socket) {
    this.socket = socket;
  }

  /** Opens rtnetlink in the JVM's current network namespace. */
  public static RtNetlink open(Duration timeout) throws IOException {
    return new RtNetlink(NetlinkSocket.open(LibC.NETLINK_ROUTE, timeout));
  }

  /** Opens rtnetlink inside {@code namespace}; the socket stays there. */
  public static RtNetlink open(NetworkNamespace namespace, Duration timeout) throws IOException {
    Objects.requireNonNull(namespace, "namespace");
    return namespace.call(() -> open(timeout), timeout);
  }

  /** Creates a link ({@code wireguard}, {@code dummy}, ...) and returns its index. */
  public int createLink(String name, String kind) throws IOException {
    try {
      socket.acknowledged(RtMessages.newLink(name, kind), "create " + kind + " link " + name);
    } catch (ErrnoException e) {
      if (e.errno() == Errno.EOPNOTSUPP) {
        throw new ErrnoException("create link " + name, e.number(),
            "this kernel does not know the link kind '" + kind + "' (module missing?)");
      }
      throw e;
    }
    return link(name).orElseThrow(() -> new IOException("link " + name + " vanished right after it was created"))
        .index();
  }

  public Optional<LinkInfo> link(String name) throws IOException {
    try {
      List<NetlinkMessage> answer = socket.query(RtMessages.getLink(name), "read link " + name);
      if (answer.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(RtMessages.parseLink(answer.get(0)));
    } catch (ErrnoException e) {
      if (e.errno() == Errno.ENODEV) {
        return Optional.empty();
      }
      throw e;
    }
  }

  public List<LinkInfo> links() throws IOException {
    List<LinkInfo> links = new ArrayList<>();
    for (NetlinkMessage m : socket.query(RtMessages.dumpLinks(), "list links")) {
      if (m.header().type() == RtMessages.RTM_NEWLINK) {
        links.add(RtMessages.parseLink(m));
      }
    }
    return links;
  }

  public void setUp(int index, boolean up) throws IOException {
    socket.acknowledged(RtMessages.setUp(index, up), (up ? "raise" : "lower") + " link #" + index);
  }

  public void setMtu(int index, int mtu) throws IOException {
    socket.acknowledged(RtMessages.setMtu(index, mtu), "set MTU " + mtu + " on link #" + index);
  }

  public void addAddress(int index, IpPrefix prefix) throws IOException {
    socket.acknowledged(RtMessages.newAddress(index, prefix), "add address " + prefix + " to link #" + index);
  }

  /** The addresses of one link ({@code index}), or of every link when {@code index} is 0. */
  public List<AddressInfo> addresses(int index) throws IOException {
    List<AddressInfo> addresses = new ArrayList<>();
    for (NetlinkMessage m : socket.query(RtMessages.dumpAddresses(), "list addresses")) {
      if (m.header().type() == RtMessages.RTM_NEWADDR) {
        AddressInfo address = RtMessages.parseAddress(m);
        if (index == 0 || address.interfaceIndex() == index) {
          addresses.add(address);
        }
      }
    }
    return addresses;
  }

  /** Sets the link's alias, the free text {@code ip link} shows as {@code alias}. */
  public void setAlias(int index, String alias) throws IOException {
    socket.acknowledged(RtMessages.setAlias(index, alias), "set the alias of link #" + index);
  }

  public void deleteLink(int index) throws IOException {
    socket.acknowledged(RtMessages.deleteLink(index), "delete link #" + index);
  }

  @Override
  public void close() {
    socket.close();
  }
}
