package io.partynet.examples.cli.doctor;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * A STUN Binding request (RFC 8489) from one UDP socket, and the answer's mapped address
 * (XOR-MAPPED-ADDRESS, or MAPPED-ADDRESS from an RFC 3489 server) and OTHER-ADDRESS (RFC 5780,
 * the server's alternate address, for telling the NAT's mapping behaviour). Only answers with the
 * request's transaction id are accepted; answers are size-limited and parsed defensively.
 *
 * <p>Not thread-safe: one probe per socket at a time.
 */
final class StunProbe {
  private static final int MAGIC_COOKIE = 0x2112A442;
  private static final short BINDING_REQUEST = 0x0001;
  private static final short BINDING_SUCCESS = 0x0101;
  private static final int MAPPED_ADDRESS = 0x0001;
  private static final int XOR_MAPPED_ADDRESS = 0x0020;
  private static final int OTHER_ADDRESS = 0x802C;
  private static final int MAX_MESSAGE = 548;
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * What a server answered.
   *
   * @param mapped where the server saw the request come from
   * @param other the server's alternate address, if it offers one
   * @param rttMs the round trip of the request
   */
  record Answer(InetSocketAddress mapped, Optional<InetSocketAddress> other, double rttMs) {}

  private StunProbe() {}

  /** Sends one Binding request to {@code server} from {@code socket}; empty when nothing valid came back in time. */
  static Optional<Answer> bind(DatagramSocket socket, InetSocketAddress server, Duration timeout) throws IOException {
    byte[] transaction = new byte[12];
    RANDOM.nextBytes(transaction);
    ByteBuffer request = ByteBuffer.allocate(20);
    request.putShort(BINDING_REQUEST).putShort((short) 0).putInt(MAGIC_COOKIE).put(transaction);
    long started = System.nanoTime();
    socket.send(new DatagramPacket(request.array(), 20, server));
    long deadline = started + timeout.toNanos();
    byte[] buffer = new byte[MAX_MESSAGE];
    while (true) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return Optional.empty();
      }
      socket.setSoTimeout((int) Math.max(1, left));
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(packet);
      } catch (SocketTimeoutException e) {
        return Optional.empty();
      }
      Optional<Answer> answer = parse(Arrays.copyOf(packet.getData(), packet.getLength()), transaction,
          (System.nanoTime() - started) / 1e6);
      if (answer.isPresent()) {
        return answer;
      }
    }
  }

  /** The Binding success response for {@code transaction} in {@code message}, if it is one. */
  static Optional<Answer> parse(byte[] message, byte[] transaction, double rttMs) {
    if (message.length < 20 || message.length > MAX_MESSAGE) {
      return Optional.empty();
    }
    ByteBuffer b = ByteBuffer.wrap(message);
    short type = b.getShort();
    int length = b.getShort() & 0xFFFF;
    int cookie = b.getInt();
    byte[] id = new byte[12];
    b.get(id);
    if (type != BINDING_SUCCESS || cookie != MAGIC_COOKIE || !Arrays.equals(id, transaction)
        || length != message.length - 20) {
      return Optional.empty();
    }
    InetSocketAddress mapped = null;
    InetSocketAddress other = null;
    while (b.remaining() >= 4) {
      int attribute = b.getShort() & 0xFFFF;
      int size = b.getShort() & 0xFFFF;
      if (size > b.remaining()) {
        return Optional.empty();
      }
      byte[] value = new byte[size];
      b.get(value);
      b.position(Math.min(b.limit(), b.position() + (4 - size % 4) % 4));
      switch (attribute) {
        case XOR_MAPPED_ADDRESS -> mapped = address(value, true, id);
        case MAPPED_ADDRESS -> mapped = mapped == null ? address(value, false, id) : mapped;
        case OTHER_ADDRESS -> other = address(value, false, id);
        default -> { }
      }
    }
    return mapped == null ? Optional.empty() : Optional.of(new Answer(mapped, Optional.ofNullable(other), rttMs));
  }

  /** An address attribute (family 1 = IPv4, 2 = IPv6); XOR-ed with the cookie (and id) when {@code xor}. */
  private static InetSocketAddress address(byte[] value, boolean xor, byte[] transaction) {
    if (value.length < 8) {
      return null;
    }
    int family = value[1];
    int addressLength = family == 1 ? 4 : family == 2 ? 16 : -1;
    if (addressLength < 0 || value.length < 4 + addressLength) {
      return null;
    }
    int port = ((value[2] & 0xFF) << 8) | (value[3] & 0xFF);
    byte[] raw = Arrays.copyOfRange(value, 4, 4 + addressLength);
    if (xor) {
      port ^= MAGIC_COOKIE >>> 16;
      byte[] mask = ByteBuffer.allocate(16).putInt(MAGIC_COOKIE).put(transaction).array();
      for (int i = 0; i < raw.length; i++) {
        raw[i] ^= mask[i];
      }
    }
    try {
      return new InetSocketAddress(InetAddress.getByAddress(raw), port);
    } catch (java.net.UnknownHostException e) {
      return null;
    }
  }
}
