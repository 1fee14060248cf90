package io.partynet.wireguard.jna.internal.netlink;

import io.partynet.BackendUnavailableException;
import io.partynet.wireguard.jna.internal.device.AbstractWireGuardBackend;
import io.partynet.wireguard.jna.internal.device.Errno;
import io.partynet.wireguard.jna.internal.device.ErrnoException;
import io.partynet.wireguard.jna.internal.device.WireGuardDevice;
import io.partynet.spi.InterfaceConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code netlink} backend: Linux kernel WireGuard configured directly through rtnetlink (the
 * link, its address, MTU and state) and the {@code wireguard} generic netlink family (keys, port,
 * peers). Needs CAP_NET_ADMIN and a kernel with the WireGuard module; without the module
 * {@link #up} throws {@link BackendUnavailableException} naming the {@code uapi} alternative.
 *
 * <p>Thread-safe.
 */
public final class NetlinkBackend extends AbstractWireGuardBackend {
  private static final Logger LOG = LoggerFactory.getLogger(NetlinkBackend.class);
  static final String MISSING_MODULE = "the kernel has no WireGuard support (generic netlink family 'wireguard'"
      + " not found): load it with `modprobe wireguard`, or use network.backend=uapi with wireguard-go installed";

  /**
   * How the backend talks to the kernel.
   *
   * @param namespace the network namespace to work in; empty for the JVM's own
   * @param timeout bound on every netlink exchange
   * @param messageLimit maximum size of one WG_CMD_SET_DEVICE message; larger configurations are split
   *
   * <p>Immutable and thread-safe.
   */
  public record Options(Optional<NetworkNamespace> namespace, Duration timeout, int messageLimit) {
    public Options {
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(timeout, "timeout");
      if (messageLimit < 512) {
        throw new IllegalArgumentException("message limit must be at least 512 bytes: " + messageLimit);
      }
    }

    public static Options defaults() {
      return new Options(Optional.empty(), Duration.ofSeconds(5), WgMessages.DEFAULT_MESSAGE_LIMIT);
    }

    public Options inNamespace(NetworkNamespace ns) {
      return new Options(Optional.of(ns), timeout, messageLimit);
    }

    public Options withMessageLimit(int limit) {
      return new Options(namespace, timeout, limit);
    }
  }

  private final Options options;
  private RtNetlink rtnl;
  private GenericNetlink genl;
  private int linkIndex;

  public NetlinkBackend() {
    this(Options.defaults());
  }

  public NetlinkBackend(Options options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  @Override
  public String name() {
    return NetlinkBackendProvider.NAME;
  }

  /** A failure half-way is cleaned up by {@link #destroyInterface}, which the base class calls. */
  @Override
  protected WireGuardDevice createInterface(InterfaceConfig config) throws IOException {
    rtnl = options.namespace().isPresent()
        ? RtNetlink.open(options.namespace().get(), options.timeout()) : RtNetlink.open(options.timeout());
    genl = options.namespace().isPresent()
        ? GenericNetlink.open(options.namespace().get(), options.timeout()) : GenericNetlink.open(options.timeout());
    OptionalInt family = genl.familyId(WgMessages.FAMILY);
    if (family.isEmpty()) {
      throw new BackendUnavailableException(MISSING_MODULE);
    }
    LeftoverLinks.replaceIfLeftOver(rtnl, config.name());
    try {
      linkIndex = rtnl.createLink(config.name(), "wireguard");
    } catch (ErrnoException e) {
      if (e.errno() == Errno.EOPNOTSUPP) {
        throw new BackendUnavailableException(MISSING_MODULE, e);
      }
      throw e;
    }
    // The marker lets the next start recognise this link if this process dies without deleting it.
    rtnl.setAlias(linkIndex, LeftoverLinks.MARKER);
    LOG.debug("created kernel WireGuard link {} (#{})", config.name(), linkIndex);
    return new KernelWireGuardDevice(genl, family.getAsInt(), config.name(), options.messageLimit());
  }

  @Override
  protected void configureLink(InterfaceConfig config) throws IOException {
    rtnl.setMtu(linkIndex, config.mtu());
    rtnl.addAddress(linkIndex, config.address());
    rtnl.setUp(linkIndex, true);
  }

  @Override
  protected void destroyInterface() throws IOException {
    try {
      if (rtnl != null && linkIndex != 0) {
        try {
          rtnl.deleteLink(linkIndex);
        } catch (ErrnoException e) {
          if (e.errno() != Errno.ENODEV) {
            throw e;
          }
        }
      }
    } finally {
      linkIndex = 0;
      closeSockets();
    }
  }

  private void closeSockets() {
    if (rtnl != null) {
      rtnl.close();
      rtnl = null;
    }
    if (genl != null) {
      genl.close();
      genl = null;
    }
  }

  @Override
  protected Optional<NetworkNamespace> namespace() {
    return options.namespace();
  }
}
