package io.partynet.server.internal.events;

/**
 * One connected event WebSocket, as the {@link EventHub} sees it. Implementations send
 * asynchronously and are thread-safe.
 */
interface EventSink {
  /** Queues one text frame; never blocks. */
  void send(String frame);

  /** Closes the connection with a WebSocket close code. */
  void close(int code, String reason);
}
