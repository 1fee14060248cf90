package io.partynet.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.partynet.PartyException;
import io.partynet.PortExposure;
import io.partynet.SocksProxy;
import io.partynet.TransportForward;
import io.partynet.spi.PartyNetwork;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The exposes, forwards and SOCKS5 proxies a running member set up (from
 * {@code --expose}/{@code --forward}/{@code --socks} or {@code party expose|forward|socks}
 * requests), kept open until the member stops, and their JSON view for {@code party status}.
 * Thread-safe (the control socket and the main thread both use it).
 */
final class PortMappings implements AutoCloseable {
  /** Starts a SOCKS5 proxy on a loopback port ({@code PartyManager#socksProxy}). */
  interface SocksStarter {
    SocksProxy start(int loopbackPort) throws IOException;
  }

  private final Supplier<PartyNetwork> network;
  private final SocksStarter socksStarter;
  private final List<PortExposure> exposures = new ArrayList<>();
  private final List<TransportForward> forwards = new ArrayList<>();
  private final List<SocksProxy> proxies = new ArrayList<>();
  private boolean closed;

  /**
   * {@code network} and {@code socksStarter} are asked on each request: they throw while the
   * member has no party or no network.
   */
  PortMappings(Supplier<PartyNetwork> network, SocksStarter socksStarter) {
    this.network = network;
    this.socksStarter = socksStarter;
  }

  /**
   * Sets {@code spec} up and returns its JSON view.
   *
   * @throws CliException FAILURE when the port is taken or the network refuses, UNAVAILABLE without a network
   */
  synchronized ObjectNode apply(PortSpec spec) throws CliException {
    if (closed) {
      throw new CliException(ExitCode.FAILURE, "the member is stopping");
    }
    try {
      if (spec instanceof PortSpec.Socks socks) {
        SocksProxy proxy = socksStarter.start(socks.localPort());
        proxies.add(proxy);
        return toJson(proxy);
      }
      PartyNetwork net = network.get();
      if (spec instanceof PortSpec.Expose e) {
        PortExposure exposure = net.expose(e.protocol(), e.port(), new InetSocketAddress(e.targetHost(), e.targetPort()));
        exposures.add(exposure);
        return toJson(exposure, net.localIp());
      }
      PortSpec.Forward f = (PortSpec.Forward) spec;
      TransportForward forward = net.forward(f.protocol(), f.localPort(), f.virtualIp(), f.port());
      forwards.add(forward);
      return toJson(forward);
    } catch (PartyException e) {
      throw new CliException(ExitCode.of(e), e.getMessage());
    } catch (java.net.BindException e) {
      throw new CliException(ExitCode.FAILURE, "cannot " + spec + ": the port is in use (" + e.getMessage() + ")");
    } catch (IOException | IllegalArgumentException e) {
      throw new CliException(ExitCode.FAILURE, "cannot " + spec + ": " + e.getMessage());
    }
  }

  /** The {@code exposes} and {@code forwards} arrays of the status document, added to {@code status}. */
  synchronized void addTo(ObjectNode status, String localIp) {
    ArrayNode e = status.putArray("exposes");
    exposures.forEach(x -> e.add(toJson(x, localIp)));
    ArrayNode f = status.putArray("forwards");
    forwards.forEach(x -> f.add(toJson(x)));
    ArrayNode p = status.putArray("socks");
    proxies.forEach(x -> p.add(toJson(x)));
  }

  private static ObjectNode toJson(SocksProxy x) {
    ObjectNode n = StatusView.MAPPER.createObjectNode();
    n.put("socks", x.localAddress().getAddress().getHostAddress() + ":" + x.localAddress().getPort());
    n.put("activeConnections", x.activeConnections());
    return n;
  }

  private static ObjectNode toJson(PortExposure x, String localIp) {
    ObjectNode n = StatusView.MAPPER.createObjectNode();
    n.put("protocol", x.protocol().name().toLowerCase(Locale.ROOT));
    n.put("virtualIp", localIp);
    n.put("virtualPort", x.virtualPort());
    n.put("target", x.target().getAddress().getHostAddress() + ":" + x.target().getPort());
    n.put("passthrough", x.passthrough());
    n.put("activeConnections", x.activeConnections());
    return n;
  }

  private static ObjectNode toJson(TransportForward x) {
    ObjectNode n = StatusView.MAPPER.createObjectNode();
    n.put("protocol", x.protocol().name().toLowerCase(Locale.ROOT));
    n.put("localAddress", x.localAddress().getAddress().getHostAddress() + ":" + x.localAddress().getPort());
    n.put("virtualIp", x.virtualIp());
    n.put("port", x.remotePort());
    n.put("activeConnections", x.activeConnections());
    return n;
  }

  /** Closes every expose, forward and proxy (open connections are reset). */
  @Override
  public synchronized void close() {
    closed = true;
    exposures.forEach(PortExposure::close);
    forwards.forEach(TransportForward::close);
    proxies.forEach(SocksProxy::close);
    exposures.clear();
    forwards.clear();
    proxies.clear();
  }
}
