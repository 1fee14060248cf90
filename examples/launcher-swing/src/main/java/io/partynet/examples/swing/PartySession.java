package io.partynet.examples.swing;

import io.partynet.LeaveReason;
import io.partynet.LinkQuality;
import io.partynet.DisbandReason;
import io.partynet.Party;
import io.partynet.PartyListener;
import io.partynet.PartyManager;
import io.partynet.PartyStatus;
import io.partynet.Peer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import javax.swing.SwingUtilities;
import javax.swing.Timer;

/**
 * Between the window and the {@link PartyManager}: runs create, join and leave, listens to the
 * party's events and polls {@link PartyManager#status()} for the member table. The SDK answers on
 * its own threads (futures complete on the manager's worker, listeners run on its event thread);
 * everything that reaches the {@link View} is handed to the event dispatch thread first. Call its
 * methods on the event dispatch thread.
 */
final class PartySession {
  /** How often the member table is refreshed between events (last-seen times change without one). */
  static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
  /** The longest a create or join may take before the player is told and may try again. */
  static final Duration JOIN_LIMIT = Duration.ofSeconds(60);

  /** What the window shows. Every method is called on the event dispatch thread. */
  interface View {
    void showLobby(String notice);

    void showBusy(String what);

    void showParty(Party party);

    void showStatus(PartyStatus status);

    void showError(String message);
  }

  private final PartyManager manager;
  private final View view;
  private final Timer poller;
  private final PartyListener events = new Events();
  private boolean pollInFlight;
  private boolean inParty;

  PartySession(PartyManager manager, View view) {
    this.manager = manager;
    this.view = view;
    this.poller = new Timer((int) POLL_INTERVAL.toMillis(), e -> refresh());
  }

  /** Starts listening and polling; shows the party a restarted manager resumed, if any. */
  void start() {
    manager.addListener(events);
    poller.start();
    manager.currentParty().ifPresentOrElse(this::enter, () -> toLobby(""));
  }

  void create(String partyName) {
    view.showBusy("Creating your party\u2026");
    onEdt(manager.create(partyName).orTimeout(JOIN_LIMIT.toSeconds(), TimeUnit.SECONDS), (party, failure) -> {
      if (failure != null) {
        view.showError(PlayerMessages.forFailure(failure));
      } else {
        enter(party);
      }
    });
  }

  void join(String inviteCode, String playerName) {
    view.showBusy("Joining " + inviteCode.trim() + "\u2026");
    onEdt(manager.join(inviteCode.trim(), playerName.trim()).orTimeout(JOIN_LIMIT.toSeconds(), TimeUnit.SECONDS),
        (party, failure) -> {
          if (failure != null) {
            view.showError(PlayerMessages.forFailure(failure));
          } else {
            enter(party);
          }
        });
  }

  void leave() {
    inParty = false; // what the leaving brings (our own departure, the end of the party) is no news
    view.showBusy("Leaving\u2026");
    onEdt(manager.leave().orTimeout(10, TimeUnit.SECONDS), (done, failure) ->
        toLobby(failure == null ? "" : PlayerMessages.forFailure(failure)));
  }

  /** Stops polling and listening; leaves the current party (at most {@code limit}) when {@code leaveParty}. */
  CompletableFuture<Void> stop(boolean leaveParty, Duration limit) {
    poller.stop();
    manager.removeListener(events);
    if (!leaveParty || manager.currentParty().isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return manager.leave().orTimeout(limit.toMillis(), TimeUnit.MILLISECONDS).exceptionally(failure -> null);
  }

  private void enter(Party party) {
    inParty = true;
    view.showParty(party);
    refresh();
  }

  private void toLobby(String notice) {
    inParty = false;
    view.showLobby(notice);
  }

  /** Asks for a fresh status unless one is on its way; the answer goes to the view on the EDT. */
  private void refresh() {
    if (pollInFlight || manager.currentParty().isEmpty()) {
      return;
    }
    pollInFlight = true;
    onEdt(manager.status(), (status, failure) -> {
      pollInFlight = false;
      // A failed poll (the party ended meanwhile) is not the player's business: events say why.
      if (status != null && manager.currentParty().isPresent()) {
        view.showStatus(status);
      }
    });
  }

  private static <T> void onEdt(CompletableFuture<T> future, BiConsumer<T, Throwable> onDone) {
    future.whenComplete((value, failure) -> SwingUtilities.invokeLater(() -> onDone.accept(value, failure)));
  }

  /** Runs on the SDK's event thread: only hands over to the event dispatch thread. */
  private final class Events implements PartyListener {
    @Override
    public void onPeerJoined(Party party, Peer peer) {
      SwingUtilities.invokeLater(PartySession.this::refresh);
    }

    @Override
    public void onPeerLeft(Party party, Peer peer, LeaveReason reason) {
      if (peer.id().equals(manager.myPeerId())) {
        SwingUtilities.invokeLater(() -> {
          if (inParty) {
            toLobby(PlayerMessages.forRemoval(reason));
          }
        });
      } else {
        SwingUtilities.invokeLater(PartySession.this::refresh);
      }
    }

    @Override
    public void onPeerUpdated(Party party, Peer peer) {
      SwingUtilities.invokeLater(PartySession.this::refresh);
    }

    /** A friend's round trip, jitter, loss or path changed meaningfully: redraw the ping bars now. */
    @Override
    public void onLinkQuality(Party party, Peer peer, LinkQuality quality) {
      SwingUtilities.invokeLater(PartySession.this::refresh);
    }

    @Override
    public void onPartyDisbanded(String partyId, DisbandReason reason) {
      SwingUtilities.invokeLater(() -> {
        if (inParty) {
          toLobby(PlayerMessages.forPartyEnd(reason));
        }
      });
    }

    /** Out of the party without a reason given before (events come in order): back to the lobby. */
    @Override
    public void onPartyLeft(String partyId) {
      SwingUtilities.invokeLater(() -> {
        if (inParty) {
          toLobby("");
        }
      });
    }
  }
}
