package io.partynet.core.internal.nat.turn;

import io.partynet.Endpoint;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Drives a {@link TurnClient} in a child JVM inside a lab namespace, for tests of any module.
 * Arguments: server endpoint, username, password. It allocates at once and prints
 * {@code RELAYED <ip:port>} and {@code MAPPED <ip:port>}, then obeys one command per stdin line:
 * {@code PERMIT <ip>}, {@code REFRESH}, {@code BIND <ip:port>} (received data is printed as
 * {@code DATA <text>}), {@code SEND <text>} (on the last bound channel), {@code SENDIND <ip:port> <text>} (a Send
 * indication; data indications are printed as {@code INDICATION <text>}),
 * {@code FORWARD <peer ip:port> <wireguard port>} (prints {@code FORWARDER <loopback endpoint>}),
 * {@code STATS}, {@code QUIT}. Failures print {@code ERROR <message>}.
 */
public final class TurnAgentMain {
  private TurnAgentMain() {}

  public static void main(String[] args) throws Exception {
    TurnCredentials credentials = new TurnCredentials(args[1], args[2]);
    try (TurnClient turn = TurnClient.builder(Endpoint.parse(args[0]), credentials).build()) {
      TurnAllocation allocation = turn.allocate().get(20, TimeUnit.SECONDS);
      System.out.println("RELAYED " + Endpoint.of(allocation.relayed()));
      System.out.println("MAPPED " + Endpoint.of(allocation.mapped()));
      turn.onIndicationData((peer, data) -> System.out.println("INDICATION " + StandardCharsets.UTF_8.decode(data)));
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      int lastChannel = -1;
      RelayForwarder forwarder = null;
      String line;
      while ((line = in.readLine()) != null) {
        String[] words = line.trim().split(" ", 2);
        try {
          switch (words[0]) {
            case "PERMIT" -> {
              turn.createPermission(InetAddress.getByName(words[1])).get(20, TimeUnit.SECONDS);
              System.out.println("PERMITTED " + words[1]);
            }
            case "REFRESH" -> System.out.println("REFRESHED " + turn.refresh().get(20, TimeUnit.SECONDS).getSeconds());
            case "BIND" -> {
              lastChannel = turn.bindChannel(Endpoint.parse(words[1]).toSocketAddress(), (peer, data) ->
                  System.out.println("DATA " + StandardCharsets.UTF_8.decode(data))).get(20, TimeUnit.SECONDS);
              System.out.println("BOUND " + lastChannel);
            }
            case "SENDIND" -> {
              String[] parts = words[1].split(" ", 2);
              turn.sendIndication(Endpoint.parse(parts[0]).toSocketAddress(),
                  ByteBuffer.wrap(parts[1].getBytes(StandardCharsets.UTF_8)));
            }
            case "SEND" -> turn.send(lastChannel, ByteBuffer.wrap(words[1].getBytes(StandardCharsets.UTF_8)));
            case "FORWARD" -> {
              String[] parts = words[1].split(" ");
              forwarder = RelayForwarder.start(turn, Endpoint.parse(parts[0]).toSocketAddress(),
                  Integer.parseInt(parts[1])).get(20, TimeUnit.SECONDS);
              System.out.println("FORWARDER " + forwarder.localEndpoint());
            }
            case "STATS" -> System.out.println("STATS " + (forwarder == null ? "0 0"
                : forwarder.packetsToRelay() + " " + forwarder.packetsFromRelay()));
            case "QUIT" -> {
              if (forwarder != null) {
                forwarder.close();
              }
              System.out.println("BYE");
              return;
            }
            default -> System.out.println("ERROR unknown command " + words[0]);
          }
        } catch (Exception e) {
          System.out.println("ERROR " + e);
        }
      }
    }
  }
}
