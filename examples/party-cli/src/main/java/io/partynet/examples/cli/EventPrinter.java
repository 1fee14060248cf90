package io.partynet.examples.cli;

import static io.partynet.examples.cli.TerminalText.safe;

import io.partynet.ConnectionType;
import io.partynet.ControlPlaneState;
import io.partynet.DisbandReason;
import io.partynet.LeaveReason;
import io.partynet.Party;
import io.partynet.PartyConfig;
import io.partynet.PartyListener;
import io.partynet.Peer;
import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a running member prints: its progress while it starts and enters the party (detecting the
 * NAT, registering, connecting to each member and whether that path is direct or relayed), then
 * every change as it happens. A path is announced when it changes, not on every latency update
 * ({@code party status --watch} shows the numbers).
 *
 * <p>Thread-safe: the listener methods run on the SDK's event thread while the main thread prints
 * the start-up steps; each line is one {@code println}.
 */
final class EventPrinter implements PartyListener {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final PrintStream out;
  private final Runnable onEnd;
  private final Map<String, ConnectionType> paths = new ConcurrentHashMap<>();
  private volatile String myPeerId = "";

  EventPrinter(PrintStream out, Runnable onEnd) {
    this.out = out;
    this.onEnd = onEnd;
  }

  /** Before the manager starts. */
  void starting(PartyConfig config) {
    out.println(now() + " starting: network " + config.networkBackend() + ", control plane " + config.controlMode());
  }

  /** Once the manager runs: events about the local member itself are not printed as paths. */
  void started(String peerId) {
    myPeerId = peerId;
  }

  /** Before create or join: the NAT type is detected first, then the control plane is asked. */
  void registering(PartyConfig config, String what) {
    out.println(now() + (config.stunServers().isEmpty()
        ? " no STUN server configured: the NAT type stays UNKNOWN"
        : " detecting the NAT type with " + config.stunServers().size() + " STUN server(s)"));
    out.println(now() + " registering with the " + config.controlMode() + " control plane: " + what);
  }

  /** Once in the party: the NAT type found, then one "connecting" line per member already there. */
  void entered(Party party, Object natType) {
    out.println(now() + " NAT type: " + natType);
    for (Peer peer : party.getPeerList()) {
      if (!peer.id().equals(myPeerId)) {
        track(peer);
      }
    }
  }

  @Override
  public void onPeerJoined(Party party, Peer peer) {
    out.println(now() + " + " + safe(peer.name()) + " joined at " + safe(peer.virtualIp()) + " (NAT " + peer.natType() + ")");
    track(peer);
  }

  @Override
  public void onPeerLeft(Party party, Peer peer, LeaveReason reason) {
    paths.remove(peer.id());
    out.println(now() + " - " + safe(peer.name()) + " left (" + reason + ")");
  }

  @Override
  public void onPeerUpdated(Party party, Peer peer) {
    if (peer.id().equals(myPeerId)) {
      return;
    }
    ConnectionType before = paths.put(peer.id(), peer.connectionType());
    if (before == peer.connectionType()) {
      return;
    }
    switch (peer.connectionType()) {
      case DIRECT -> out.println(now() + " = connected to " + safe(peer.name()) + ": direct"
          + (peer.endpoint() == null ? "" : " to " + safe(String.valueOf(peer.endpoint()))) + latency(peer));
      case RELAY -> out.println(now() + " = connected to " + safe(peer.name()) + ": relayed through the TURN server"
          + latency(peer));
      case NONE -> out.println(now() + " ! lost the path to " + safe(peer.name()) + "; reconnecting");
    }
  }

  @Override
  public void onPartyDisbanded(String partyId, DisbandReason reason) {
    out.println(now() + " party " + safe(partyId) + " ended (" + reason + ")");
    onEnd.run();
  }

  @Override
  public void onPartyLeft(String partyId) {
    out.println(now() + " no longer in party " + safe(partyId));
    onEnd.run();
  }

  @Override
  public void onControlPlaneChanged(String controlPlane, String detail) {
    out.println(now() + " control plane: " + safe(controlPlane) + " (" + safe(detail) + ")");
  }

  @Override
  public void onControlPlaneState(ControlPlaneState state, String detail) {
    out.println(now() + (state == ControlPlaneState.RECONNECTING
        ? " control plane unreachable, reconnecting; the party and its tunnels stay up (" + detail + ")"
        : " control plane connected again (" + detail + ")"));
  }

  /** Announces a member whose path is not known yet; one already connected is reported at once. */
  private void track(Peer peer) {
    if (peer.connectionType() == ConnectionType.NONE) {
      if (paths.putIfAbsent(peer.id(), ConnectionType.NONE) == null) {
        out.println(now() + " connecting to " + safe(peer.name()) + " at " + safe(peer.virtualIp()) + "\u2026");
      }
    } else {
      onPeerUpdated(null, peer);
    }
  }

  private static String latency(Peer peer) {
    return peer.latencyMs() == null ? "" : String.format(" (%.1f ms)", peer.latencyMs());
  }

  private static String now() {
    return LocalTime.now().format(TIME);
  }
}
