package io.partynet.wireguard.jna.internal.uapi;

import io.partynet.spi.InterfaceConfig;
import io.partynet.wireguard.jna.internal.device.AbstractWireGuardBackend;
import io.partynet.wireguard.jna.internal.device.WireGuardDevice;
import io.partynet.wireguard.jna.internal.netlink.LinkInfo;
import io.partynet.wireguard.jna.internal.netlink.NetworkNamespace;
import io.partynet.wireguard.jna.internal.netlink.RtNetlink;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The {@code uapi} backend: a userspace WireGuard (wireguard-go by default, or any daemon that
 * speaks the cross-platform UAPI such as boringtun) configured over its unix socket. It starts
 * the daemon for the interface and stops it on {@link #close()}; the interface's MTU, address and
 * link state are set through rtnetlink. Needs CAP_NET_ADMIN, {@code /dev/net/tun} and the binary.
 * A daemon an earlier process left running for the same name (after a SIGKILL) is replaced by a
 * fresh one; a link of that name that no WireGuard daemon serves is refused
 * ({@link InterfaceNameTakenException}), see {@link LeftoverDaemons}.
 *
 * <p>Thread-safe.
 */
public final class UapiBackend extends AbstractWireGuardBackend {

  /**
   * How the backend finds and runs the daemon.
   *
   * @param binary the daemon to start with {@code -f IFNAME}
   * @param socketDirectory where the daemon creates {@code IFNAME.sock}
   * @param namespace the network namespace for the daemon and the link; empty for the JVM's own
   * @param timeout bound on each UAPI and rtnetlink exchange
   * @param startTimeout bound on the daemon's start, until its socket answers
   * @param nanoTime the clock deadlines are measured with
   *
   * <p>Immutable and thread-safe.
   */
  public record Options(String binary, Path socketDirectory, Optional<NetworkNamespace> namespace, Duration timeout,
      Duration startTimeout, LongSupplier nanoTime) {
    public static final String DEFAULT_BINARY = "wireguard-go";

    public Options {
      Objects.requireNonNull(binary, "binary");
      if (binary.isBlank()) {
        throw new IllegalArgumentException("uapi.binary must name a program");
      }
      Objects.requireNonNull(socketDirectory, "socketDirectory");
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(timeout, "timeout");
      Objects.requireNonNull(startTimeout, "startTimeout");
      Objects.requireNonNull(nanoTime, "nanoTime");
    }

    public static Options defaults() {
      return new Options(DEFAULT_BINARY, UapiClient.DEFAULT_SOCKET_DIRECTORY, Optional.empty(), Duration.ofSeconds(10),
          Duration.ofSeconds(10), System::nanoTime);
    }

    public Options withBinary(String value) {
      return new Options(value, socketDirectory, namespace, timeout, startTimeout, nanoTime);
    }

    public Options inNamespace(NetworkNamespace value) {
      return new Options(binary, socketDirectory, Optional.of(value), timeout, startTimeout, nanoTime);
    }
  }

  private final Options options;
  private UserspaceDaemon daemon;
  private RtNetlink rtnl;
  private int linkIndex;

  public UapiBackend() {
    this(Options.defaults());
  }

  public UapiBackend(Options options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  @Override
  public String name() {
    return UapiBackendProvider.NAME;
  }

  /** The daemon's process id while the interface is up. */
  public synchronized Optional<Long> daemonPid() {
    return Optional.ofNullable(daemon).map(UserspaceDaemon::pid);
  }

  @Override
  protected synchronized WireGuardDevice createInterface(InterfaceConfig config) throws IOException {
    rtnl = options.namespace().isPresent()
        ? RtNetlink.open(options.namespace().get(), options.timeout()) : RtNetlink.open(options.timeout());
    Path socket = UapiClient.socketPath(options.socketDirectory(), config.name());
    LeftoverDaemons.replaceIfLeftOver(rtnl, config.name(), socket, options.startTimeout(), options.nanoTime());
    daemon = UserspaceDaemon.start(options.binary(), config.name(), options.socketDirectory(), options.namespace(),
        options.startTimeout(), options.nanoTime());
    linkIndex = rtnl.link(config.name()).map(LinkInfo::index).orElseThrow(() -> new IOException(
        "the daemon serves " + config.name() + " but no such link exists in this network namespace"));
    return new UapiClient(daemon.socket(), options.timeout(), options.nanoTime());
  }

  @Override
  protected synchronized void configureLink(InterfaceConfig config) throws IOException {
    rtnl.setMtu(linkIndex, config.mtu());
    rtnl.addAddress(linkIndex, config.address());
    rtnl.setUp(linkIndex, true);
  }

  @Override
  protected synchronized void destroyInterface() throws IOException {
    try {
      if (daemon != null) {
        daemon.close();
      }
    } finally {
      daemon = null;
      linkIndex = 0;
      if (rtnl != null) {
        rtnl.close();
        rtnl = null;
      }
    }
  }

  @Override
  protected Optional<NetworkNamespace> namespace() {
    return options.namespace();
  }
}
