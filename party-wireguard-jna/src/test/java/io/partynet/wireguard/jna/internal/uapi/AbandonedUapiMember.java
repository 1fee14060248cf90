package io.partynet.wireguard.jna.internal.uapi;

import io.partynet.Endpoint;
import io.partynet.IpPrefix;
import io.partynet.spi.InterfaceConfig;
import io.partynet.spi.PeerConfig;
import io.partynet.wireguard.jna.internal.lab.X25519Keys;
import java.util.List;

/**
 * A member process for {@link UapiLeftoverDaemonLabTest}, run in a child JVM inside a lab
 * namespace: brings up a {@link UapiBackend} for {@code IFNAME} with a key of its own, the given
 * address and port and one peer, prints {@code daemon-pid=PID} and waits to be killed. The test
 * SIGKILLs it, so its wireguard-go is left running exactly as after a crash of a real member.
 *
 * <p>Arguments: {@code IFNAME ADDRESS/PREFIX PORT PEER-ALLOWED-IP/32}. No secret is passed on the
 * command line: the key is generated here.
 */
public final class AbandonedUapiMember {
  private AbandonedUapiMember() {
  }

  public static void main(String[] args) throws Exception {
    UapiBackend backend = new UapiBackend();
    backend.up(new InterfaceConfig(args[0], X25519Keys.generate().privateKey(), Integer.parseInt(args[2]),
        IpPrefix.parse(args[1]), 1420));
    backend.addPeer(new PeerConfig(X25519Keys.generate().publicKey(), null, new Endpoint("198.51.100.250", 51999),
        List.of(IpPrefix.parse(args[3])), 0));
    System.out.println("daemon-pid=" + backend.daemonPid().orElseThrow());
    System.out.flush();
    System.in.read();
  }
}
