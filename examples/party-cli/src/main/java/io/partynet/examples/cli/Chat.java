package io.partynet.examples.cli;

import io.partynet.BackendUnavailableException;
import io.partynet.Party;
import io.partynet.PartyDatagram;
import io.partynet.PartyDatagramSocket;
import io.partynet.PartyManager;
import io.partynet.Peer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * One-line messages between members as UDP datagrams through the party's tunnels, on
 * {@link #PORT} of each member's virtual IP: what {@code party say} sends and what a running
 * member prints. With the embedded backend it uses the SDK's user-space sockets; with a kernel or
 * TUN backend an ordinary socket bound to the virtual IP.
 *
 * <p>Thread-safe: {@link #sayToAll} may run while the receiving thread prints.
 */
final class Chat implements AutoCloseable {
  static final int PORT = 47474;
  static final int MAX_TEXT = 512;

  private final PartyManager manager;
  private final PrintStream out;
  private final PartyDatagramSocket userspace;
  private final DatagramSocket os;
  private final Thread receiver;
  private volatile boolean closed;

  private Chat(PartyManager manager, PrintStream out, PartyDatagramSocket userspace, DatagramSocket os) {
    this.manager = manager;
    this.out = out;
    this.userspace = userspace;
    this.os = os;
    this.receiver = new Thread(this::receive, "party-chat");
    receiver.setDaemon(true);
    receiver.start();
  }

  /** Listens on the chat port of the member's virtual IP. */
  static Chat open(PartyManager manager, String myVirtualIp, PrintStream out) throws IOException {
    try {
      return new Chat(manager, out, manager.openDatagramSocket(PORT), null);
    } catch (BackendUnavailableException kernelBackend) {
      return new Chat(manager, out, null, new DatagramSocket(PORT, InetAddress.getByName(myVirtualIp)));
    }
  }

  /** Sends {@code text} to every other member; returns how many it was sent to. */
  int sayToAll(String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_TEXT) {
      throw new IOException("a message is at most " + MAX_TEXT + " bytes");
    }
    Party party = manager.currentParty().orElseThrow(() -> new IOException("not in a party"));
    int sent = 0;
    for (Peer peer : party.getPeerList()) {
      if (peer.id().equals(manager.myPeerId()) || peer.virtualIp() == null) {
        continue;
      }
      if (userspace != null) {
        userspace.send(peer.virtualIp(), PORT, ByteBuffer.wrap(bytes));
      } else {
        os.send(new DatagramPacket(bytes, bytes.length, InetAddress.getByName(peer.virtualIp()), PORT));
      }
      sent++;
    }
    return sent;
  }

  private void receive() {
    byte[] buffer = new byte[MAX_TEXT];
    while (!closed) {
      try {
        PartyDatagram datagram = userspace != null ? userspace.receive(Duration.ofMillis(500)) : receiveOs(buffer);
        if (datagram != null) {
          String text = new String(datagram.payload(), StandardCharsets.UTF_8);
          out.println("[" + TerminalText.safe(senderName(datagram.sourceIp())) + " via " + datagram.sourceIp() + "] "
              + TerminalText.safe(text));
        }
      } catch (IOException e) {
        if (!closed) {
          out.println("chat: " + TerminalText.safe(e.getMessage()));
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private PartyDatagram receiveOs(byte[] buffer) throws IOException {
    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
    os.setSoTimeout(500);
    try {
      os.receive(packet);
    } catch (SocketTimeoutException e) {
      return null;
    }
    return new PartyDatagram(packet.getAddress().getHostAddress(), packet.getPort(),
        Arrays.copyOf(buffer, packet.getLength()));
  }

  private String senderName(String ip) {
    return manager.currentParty().flatMap(p -> p.getPeerList().stream()
        .filter(peer -> ip.equals(peer.virtualIp())).map(Peer::name).findFirst()).orElse("?");
  }

  @Override
  public void close() {
    closed = true;
    if (userspace != null) {
      userspace.close();
    }
    if (os != null) {
      os.close();
    }
    receiver.interrupt();
  }
}
