package io.partynet.core.internal.manager;

import io.partynet.Endpoint;
import io.partynet.PartyConfig;
import io.partynet.core.internal.nat.discovery.StunNatDetector;
import io.partynet.spi.ControlPlane;
import io.partynet.spi.IceServers;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which STUN servers the built-in detector asks: the settings' ({@code nat.stun-servers}) when
 * they name any, otherwise the ones the control plane hands out, read at each use so a refreshed
 * list counts at once. Stateless and thread-safe.
 */
final class StunServers {
  private static final Logger LOG = LoggerFactory.getLogger(StunServers.class);

  private StunServers() {}

  static StunNatDetector detector(PartyConfig config, ControlPlane controlPlane) {
    List<Endpoint> configured = config.stunServers();
    if (!configured.isEmpty()) {
      return new StunNatDetector(configured);
    }
    return new StunNatDetector(() -> fromControlPlane(controlPlane));
  }

  /** The control plane's STUN servers that are IP literals (the detector resolves no names). */
  static List<Endpoint> fromControlPlane(ControlPlane controlPlane) {
    List<Endpoint> out = new ArrayList<>();
    for (String server : controlPlane.iceServers().map(IceServers::stunServers).orElse(List.of())) {
      try {
        out.add(Endpoint.parse(server));
      } catch (IllegalArgumentException e) {
        LOG.debug("skipping the control plane's STUN server {}: not ip:port ({})", server, e.getMessage());
      }
      if (out.size() == StunNatDetector.MAX_SERVERS) {
        break;
      }
    }
    return out;
  }
}
