package io.partynet.server.internal.parties.shared;

import io.partynet.server.internal.accounts.SharedAccounts;
import io.partynet.server.internal.store.StoreLocation;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes an instance when any instance committed a party change ({@link PartyTransactions} sends
 * {@code NOTIFY partynet_events, 'PARTY:SEQ'}): a connection of its own LISTENs, and a daemon
 * thread passes each notice on. A notice only says "read the events table": a lost or merged
 * notice costs latency, not events. When the connection breaks, notices sent meanwhile are lost,
 * so after reconnecting the feed calls {@code onResync} (the instance then re-reads every party it
 * serves). Thread-safe.
 */
final class PartyEventFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PartyEventFeed.class);

  /** A committed change: party {@code partyId} has events up to {@code seq}. */
  record Notice(String partyId, long seq) {
    /** Parses {@code PARTY:SEQ}; null for anything else (the channel is not trusted to be ours alone). */
    static Notice parse(String payload) {
      int colon = payload == null ? -1 : payload.lastIndexOf(':');
      if (colon <= 0) {
        return null;
      }
      try {
        return new Notice(payload.substring(0, colon), Long.parseLong(payload.substring(colon + 1)));
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }

  private final StoreLocation.Postgres location;
  private final Consumer<Notice> onNotice;
  private final Consumer<String> onTokenNotice;
  private final Runnable onResync;
  private final Duration retry;
  private final Thread thread;
  private volatile boolean closed;
  private volatile boolean listening;

  private PartyEventFeed(StoreLocation.Postgres location, Consumer<Notice> onNotice, Consumer<String> onTokenNotice,
      Runnable onResync, Duration retry) {
    this.location = location;
    this.onNotice = onNotice;
    this.onTokenNotice = onTokenNotice;
    this.onResync = onResync;
    this.retry = retry;
    this.thread = new Thread(this::run, "partynet-server-event-feed");
    thread.setDaemon(true);
  }

  /** Starts listening; {@code retry} is the pause before reconnecting after a failure. */
  static PartyEventFeed start(StoreLocation.Postgres location, Consumer<Notice> onNotice, Runnable onResync,
      Duration retry) {
    return start(location, onNotice, payload -> { }, onResync, retry);
  }

  /**
   * {@link #start(StoreLocation.Postgres, Consumer, Runnable, Duration)} that also passes on the
   * payloads of {@link SharedAccounts#TOKEN_CHANNEL} (tokens replaced or registrations deleted by
   * some instance) to {@code onTokenNotice}.
   */
  static PartyEventFeed start(StoreLocation.Postgres location, Consumer<Notice> onNotice,
      Consumer<String> onTokenNotice, Runnable onResync, Duration retry) {
    PartyEventFeed feed = new PartyEventFeed(location, onNotice, onTokenNotice, onResync, retry);
    feed.thread.start();
    return feed;
  }

  /** True while the LISTEN connection is up (a notice committed from now on will arrive). */
  boolean listening() {
    return listening;
  }

  private void run() {
    boolean first = true;
    while (!closed) {
      try (Connection c = location.connect("partynet-server-event-feed")) {
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN " + PartyTransactions.CHANNEL);
          s.execute("LISTEN " + SharedAccounts.TOKEN_CHANNEL);
        }
        listening = true;
        if (!first) {
          onResync.run();
        }
        first = false;
        PGConnection pg = c.unwrap(PGConnection.class);
        while (!closed) {
          PGNotification[] notices = pg.getNotifications(500);
          if (notices == null) {
            continue;
          }
          for (PGNotification n : notices) {
            if (SharedAccounts.TOKEN_CHANNEL.equals(n.getName())) {
              deliverTokenNotice(n.getParameter());
              continue;
            }
            Notice notice = Notice.parse(n.getParameter());
            if (notice != null) {
              deliver(notice);
            }
          }
        }
      } catch (SQLException e) {
        listening = false;
        if (!closed) {
          LOG.atWarn().setMessage("lost the event feed's database connection; reconnecting")
              .addKeyValue("error", e.getMessage()).log();
          pause();
        }
      }
    }
    listening = false;
  }

  private void deliver(Notice notice) {
    try {
      onNotice.accept(notice);
    } catch (RuntimeException e) {
      LOG.atError().setMessage("handling a party change notice failed").addKeyValue("party", notice.partyId())
          .setCause(e).log();
    }
  }

  private void deliverTokenNotice(String payload) {
    try {
      onTokenNotice.accept(payload);
    } catch (RuntimeException e) {
      LOG.atError().setMessage("handling a token change notice failed").setCause(e).log();
    }
  }

  private void pause() {
    try {
      Thread.sleep(retry.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  /** Stops listening; waits up to 2 s for the thread (it polls every 500 ms). */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
