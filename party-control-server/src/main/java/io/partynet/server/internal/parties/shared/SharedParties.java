package io.partynet.server.internal.parties.shared;

import io.partynet.Invite;
import io.partynet.InviteOptions;
import io.partynet.PartyException;
import io.partynet.PartyException.Reason;
import io.partynet.PartyInfo;
import io.partynet.Peer;
import io.partynet.core.internal.registry.PartyRegistry;
import io.partynet.core.internal.registry.CleanupReport;
import io.partynet.protocol.internal.IdempotencyKey;
import io.partynet.protocol.internal.PartyResponse;
import io.partynet.protocol.internal.ResumeMessage;
import io.partynet.server.internal.accounts.SharedAccounts;
import io.partynet.server.internal.events.EventHub;
import io.partynet.server.internal.events.EventSocket;
import io.partynet.server.internal.events.StoredEvent;
import io.partynet.server.internal.parties.PartyOperations;
import io.partynet.server.internal.store.PostgresStore;
import io.partynet.server.internal.store.StoreLocation;
import io.partynet.spi.Signal;
import io.partynet.core.internal.registry.RegistrySettings;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PartyOperations} of one of several instances serving one PostgreSQL database at once
 * ({@code --shared}). Every change is a {@link PartyTransactions} transaction under the party's row
 * lock, decided from the database (size limit, free virtual IPs, host rights, invites, kicks, a
 * peer's other parties, join keys), never from this instance's memory. The {@link EventHub} is
 * this instance's cache of every party and the fan-out to the event streams it holds: it is fed
 * the events each change committed (here, and through {@link PartyEventFeed} from every other
 * instance), in the database's order and numbering. A read that must see changes made elsewhere a
 * moment ago (a party view, a membership check, a resume) first brings the party up to date from
 * the database. Thread-safe.
 */
public final class SharedParties implements PartyOperations, EventSocket.BeforeResume, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SharedParties.class);
  private static final Duration FEED_START = Duration.ofSeconds(30);
  /** Parties read at once after notices (reads of different parties are independent). */
  private static final int REFRESH_THREADS = 4;

  private final PartyTransactions transactions;
  private final PartyReads reads;
  private final EventHub hub;
  private PartyEventFeed feed;
  /** Parties with a refresh queued and not yet started: more notices for them need no read of their own. */
  private final Set<String> queued = ConcurrentHashMap.newKeySet();
  private final ExecutorService refresher = Executors.newFixedThreadPool(REFRESH_THREADS, r -> {
    Thread t = new Thread(r, "partynet-server-refresh");
    t.setDaemon(true);
    return t;
  });

  SharedParties(PartyTransactions transactions, PartyReads reads, EventHub hub) {
    this.transactions = transactions;
    this.reads = reads;
    this.hub = hub;
  }

  /**
   * Starts serving {@code location}'s database into {@code hub}: the event feed listens first,
   * then every party is loaded, so no change committed meanwhile is missed.
   */
  public static SharedParties start(PostgresStore store, StoreLocation.Postgres location, RegistrySettings settings,
      Clock clock, EventHub hub) throws IOException {
    return start(store, location, settings, clock, hub, payload -> { });
  }

  /**
   * {@link #start(PostgresStore, StoreLocation.Postgres, RegistrySettings, Clock, EventHub)} whose
   * event feed also passes token notices ({@link SharedAccounts#TOKEN_CHANNEL}) to {@code onTokenNotice};
   * after the feed reconnects (notices may have been lost) it passes {@link SharedAccounts#ALL_TOKENS}.
   */
  public static SharedParties start(PostgresStore store, StoreLocation.Postgres location, RegistrySettings settings,
      Clock clock, EventHub hub, java.util.function.Consumer<String> onTokenNotice) throws IOException {
    SharedParties shared = new SharedParties(new PartyTransactions(store, settings, clock, new SecureRandom()),
        new PartyReads(store, settings, clock), hub);
    shared.feed = PartyEventFeed.start(location, shared::onNotice, onTokenNotice, () -> {
      onTokenNotice.accept(SharedAccounts.ALL_TOKENS);
      shared.resync();
    }, Duration.ofSeconds(1));
    long deadline = System.nanoTime() + FEED_START.toNanos();
    while (!shared.feed.listening()) {
      if (System.nanoTime() > deadline) {
        shared.close();
        throw new IOException("the event feed could not LISTEN on " + store.describe() + " within " + FEED_START);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        shared.close();
        throw new IOException("interrupted while starting the event feed", e);
      }
    }
    shared.refreshAll();
    return shared;
  }

  /** Stops listening for other instances' changes. */
  @Override
  public void close() {
    if (feed != null) {
      feed.close();
    }
    refresher.shutdownNow();
  }

  /** Loads every party (at start, and after the event feed reconnected: notices may have been lost). */
  private void refreshAll() {
    Set<String> ids = new HashSet<>(reads.partyIds());
    ids.addAll(hub.partyIds());
    ids.forEach(this::refresh);
  }

  private void resync() {
    try {
      refreshAll();
    } catch (RuntimeException e) {
      LOG.atError().setMessage("re-reading the parties after the event feed reconnected failed").setCause(e).log();
    }
  }

  /** When a member was last heard from through any instance, if it is a member. */
  public Optional<Instant> lastSeen(String partyId, String peerId) {
    return reads.lastSeen(partyId, peerId);
  }

  /**
   * A notice from the feed: party {@code partyId} has events up to {@code seq}. The read runs on
   * the refresh pool, so one slow party does not hold up the others; a party already queued is not
   * queued again (its refresh has not started, so it will read this change too). Two refreshes of
   * one party at once are harmless: the hub applies each event once, in order.
   */
  private void onNotice(PartyEventFeed.Notice notice) {
    String partyId = notice.partyId();
    if (hub.seqOf(partyId) >= notice.seq() || !queued.add(partyId)) {
      return;
    }
    try {
      refresher.execute(() -> {
        queued.remove(partyId);
        try {
          refresh(partyId);
        } catch (RuntimeException e) {
          LOG.atWarn().setMessage("reading a party changed elsewhere failed; its next change or a resume catches up")
              .addKeyValue("party", partyId).addKeyValue("error", e.getMessage()).log();
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      queued.remove(partyId);
    }
  }

  /** Brings the hub's copy of the party up to what is committed, sending the events it missed. */
  public void refresh(String partyId) {
    PartyReads.Read read = reads.read(partyId, hub.seqOf(partyId));
    if (!hub.applyCommitted(partyId, read.state().party(), read.state().seq(), read.events())) {
      // Events this instance never saw were pruned already (it was cut off from the feed for long).
      LOG.atWarn().setMessage("missed events of a party are no longer stored; its members here get a snapshot")
          .addKeyValue("party", partyId).log();
      hub.resetCommitted(partyId, read.state().party(), read.state().seq());
    }
  }

  /** Applies what a change committed; reads the party again when the hub had not yet seen an earlier change. */
  private void apply(PartyTransactions.Outcome<?> outcome) {
    for (PartyTransactions.Committed state : outcome.parties()) {
      List<StoredEvent> events = outcome.events().stream()
          .filter(e -> e.partyId().equals(state.partyId())).toList();
      if (!hub.applyCommitted(state.partyId(), state.party(), state.seq(), events)) {
        refresh(state.partyId());
      }
    }
  }

  /** {@code change} on the party as committed, made by {@code peerId}, who must be a member of it. */
  private <T> T changeAsMember(String partyId, String peerId, java.util.function.Function<PartyRegistry, T> change) {
    return change(partyId, scratch -> {
      scratch.hub().requireMembership(partyId, peerId);
      return change.apply(scratch.registry());
    });
  }

  private <T> T change(String partyId, PartyTransactions.Step<T> step) {
    PartyTransactions.Outcome<T> outcome = transactions.step(partyId, step);
    apply(outcome);
    return outcome.value();
  }

  @Override
  public PartyResponse create(String name, Peer host) {
    PartyTransactions.Outcome<PartyInfo> outcome = transactions.createStep(scratch -> {
      scratch.membership().requireRoomForAnotherParty(host.id());
      return scratch.registry().createParty(name, host);
    });
    apply(outcome);
    return hub.view(outcome.value().partyId(), host.id());
  }

  /**
   * A party id this instance holds resolves to itself without a query (a party id is claimed as a
   * code for the party's life and never names another party; should the party be gone meanwhile,
   * the change that follows finds no row and answers PARTY_NOT_FOUND as the lookup would have).
   * Invite codes are looked up.
   */
  @Override
  public String resolve(String code) {
    return hub.party(code).isPresent() ? code : reads.resolve(code);
  }

  @Override
  public PartyResponse join(String partyId, String code, Peer peer, IdempotencyKey key) {
    change(partyId, scratch -> {
      if (key != null) {
        scratch.membership().requireNotWithdrawn(partyId, peer.id(), key);
      }
      if (!scratch.hub().isMember(partyId, peer.id())) {
        if (scratch.membership().isBanned(partyId, peer.id(), peer.publicKey())) {
          throw PartyException.of(Reason.FORBIDDEN, "you were kicked from party " + partyId
              + " and a kick lasts for the party's life");
        }
        scratch.membership().requireRoomForAnotherParty(peer.id());
      }
      if (scratch.hub().keyHeldByAnother(partyId, peer.id(), peer.publicKey())) {
        throw PartyException.of(Reason.FORBIDDEN, "another member of party " + partyId
            + " uses this WireGuard key; every player needs a key of its own");
      }
      scratch.registry().joinParty(code, peer);
      if (key != null) {
        scratch.membership().admitted(partyId, peer.id(), key);
      }
      return null;
    });
    return hub.view(partyId, peer.id());
  }

  @Override
  public boolean leave(String partyId, String peerId) {
    return changeAsMember(partyId, peerId, registry -> registry.leaveParty(partyId, peerId));
  }

  @Override
  public void kick(String partyId, String hostId, String target) {
    changeAsMember(partyId, hostId, registry -> {
      registry.kick(partyId, hostId, target);
      return null;
    });
  }

  @Override
  public void disband(String partyId, String hostId) {
    changeAsMember(partyId, hostId, registry -> {
      registry.disband(partyId, hostId);
      return null;
    });
  }

  @Override
  public Invite createInvite(String partyId, String hostId, InviteOptions options) {
    return changeAsMember(partyId, hostId, registry -> registry.createInvite(partyId, hostId, options));
  }

  @Override
  public void revokeInvite(String partyId, String hostId, String code) {
    changeAsMember(partyId, hostId, registry -> {
      registry.revokeInvite(partyId, hostId, code);
      return null;
    });
  }

  /** One row update without the party's lock; a non-member learns why from the party as committed. */
  @Override
  public void heartbeat(String partyId, String peerId) {
    if (!transactions.heartbeat(partyId, peerId)) {
      requireMembership(partyId, peerId);
      throw PartyException.of(Reason.NOT_IN_PARTY, "you are not a member of party " + partyId + ": join it first");
    }
  }

  @Override
  public Peer update(String partyId, Peer peer) {
    return changeAsMember(partyId, peer.id(), registry -> registry.updatePeer(partyId, peer));
  }

  @Override
  public void signal(Signal signal) {
    change(signal.partyId(), scratch -> {
      scratch.hub().signal(signal);
      return null;
    });
  }

  @Override
  public PartyResponse view(String partyId, String peerId) {
    refresh(partyId);
    return hub.view(partyId, peerId);
  }

  @Override
  public void requireMembership(String partyId, String peerId) {
    refresh(partyId);
    hub.requireMembership(partyId, peerId);
  }

  @Override
  public List<String> partiesOf(String peerId) {
    return reads.partiesOf(peerId);
  }

  /**
   * The deployment's stale-member cleanup: runs on whichever instance gets the cleanup lock first
   * (the others' runs return at once with nothing done) and fans out what it removed.
   */
  public CleanupReport cleanup() {
    PartyTransactions.CleanupRun run = transactions.cleanupStale();
    Set<String> touched = new HashSet<>();
    run.events().forEach(e -> touched.add(e.partyId()));
    touched.forEach(this::refresh);
    return new CleanupReport(run.removedPeers(), run.disbandedParties());
  }

  /** Brings every party a resuming peer names or is in up to date, so its answer includes changes made elsewhere. */
  @Override
  public void prepare(String peerId, ResumeMessage resume) {
    try {
      Set<String> ids = new HashSet<>(resume.parties().keySet());
      ids.addAll(reads.partiesOf(peerId));
      ids.addAll(hub.partiesOf(peerId));
      ids.forEach(this::refresh);
    } catch (PartyException e) {
      // The database is unreachable: answer from this instance's copy (the feed catches up later).
      LOG.atWarn().setMessage("could not bring a resuming peer's parties up to date").addKeyValue("peer", peerId)
          .addKeyValue("error", e.getMessage()).log();
    }
  }
}
