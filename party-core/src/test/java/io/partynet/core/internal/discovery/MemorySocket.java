package io.partynet.core.internal.discovery;

import io.partynet.PartyDatagram;
import io.partynet.PartyDatagramSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A socket on the virtual IP that records what is sent and hands out what the test queues. */
final class MemorySocket implements PartyDatagramSocket {
  final int port;
  final BlockingQueue<Object[]> sent = new LinkedBlockingQueue<>();
  final BlockingQueue<PartyDatagram> incoming = new LinkedBlockingQueue<>();

  MemorySocket(int port) {
    this.port = port;
  }

  @Override
  public int localPort() {
    return port;
  }

  @Override
  public void send(String virtualIp, int toPort, ByteBuffer payload) {
    byte[] b = new byte[payload.remaining()];
    payload.get(b);
    sent.add(new Object[] {virtualIp, toPort, b});
  }

  @Override
  public PartyDatagram receive(Duration timeout) throws InterruptedException {
    return incoming.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {}
}
