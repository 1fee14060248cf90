package io.partynet.server.internal.http;

import io.partynet.PartyException;
import io.partynet.PartyException.Reason;
import io.partynet.protocol.internal.Protocol;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;

/**
 * Reads request bodies (at most {@link Protocol#MAX_BODY_BYTES} + 1 bytes, so the caller can
 * tell "too large") within a hard deadline. Jetty's blocking read is bounded only by the idle
 * timeout, which a client trickling one byte at a time never reaches; here the connection is
 * closed when the whole body has not arrived by the deadline, which frees the thread. Thread-safe.
 */
public final class BodyReader implements AutoCloseable {
  private final Duration deadline;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "partynet-body-deadline");
    t.setDaemon(true);
    return t;
  });

  public BodyReader(Duration deadline) {
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("body deadline must be positive: " + deadline);
    }
    this.deadline = deadline;
  }

  byte[] read(HttpServletRequest request) {
    EndPoint connection = Request.getBaseRequest(request).getHttpChannel().getEndPoint();
    AtomicBoolean expired = new AtomicBoolean();
    ScheduledFuture<?> cutOff = timer.schedule(() -> {
      expired.set(true);
      connection.close();
    }, deadline.toMillis(), TimeUnit.MILLISECONDS);
    try (InputStream in = request.getInputStream()) {
      return in.readNBytes(Protocol.MAX_BODY_BYTES + 1);
    } catch (IOException e) {
      if (expired.get()) {
        throw PartyException.of(Reason.INVALID_ARGUMENT, "the request body did not arrive within "
            + deadline.toMillis() + " ms; the connection was closed");
      }
      throw PartyException.of(Reason.INVALID_ARGUMENT, "could not read the request body: " + e.getMessage());
    } finally {
      cutOff.cancel(false);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
