package io.partynet.examples.minimal;

import io.partynet.DisbandReason;
import io.partynet.LeaveReason;
import io.partynet.Party;
import io.partynet.PartyException;
import io.partynet.PartyListener;
import io.partynet.PartyManager;
import io.partynet.PartyStatus;
import io.partynet.Peer;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The smallest program that embeds PartyNet: create a party (or join one with {@code --join CODE}),
 * print who is in it as people come and go, leave on Ctrl-C.
 *
 * <pre>
 *   java -jar embed-minimal.jar HOME_DIR              # host a party
 *   java -jar embed-minimal.jar HOME_DIR --join CODE  # join it from another home directory
 * </pre>
 * Settings (backend, control plane, STUN servers...) come from HOME_DIR/settings.db; see
 * docs/configuration.md.
 */
public final class EmbedMinimal {
  private EmbedMinimal() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 1 && !(args.length == 3 && args[1].equals("--join"))) {
      System.err.println("usage: embed-minimal HOME_DIR [--join CODE]");
      System.exit(2);
    }
    CountDownLatch over = new CountDownLatch(1);
    PartyListener printer = new PartyListener() {
      @Override public void onPeerJoined(Party party, Peer peer) {
        System.out.println("+ " + peer.name() + " at " + peer.virtualIp());
      }
      @Override public void onPeerLeft(Party party, Peer peer, LeaveReason reason) {
        System.out.println("- " + peer.name() + " (" + reason + ")");
      }
      @Override public void onPartyDisbanded(String partyId, DisbandReason reason) {
        System.out.println("party " + partyId + " is over (" + reason + ")");
        over.countDown();
      }
    };
    try (PartyManager manager = PartyManager.builder().home(Path.of(args[0])).listener(printer).build()) {
      Party party = args.length == 1
          ? manager.create("embed-minimal").get(30, TimeUnit.SECONDS)
          : manager.join(args[2], "guest").get(30, TimeUnit.SECONDS);
      System.out.println("in party " + party.id() + " as " + manager.myPeerId());
      PartyStatus status = manager.status().get(10, TimeUnit.SECONDS);
      status.peers().forEach(p -> System.out.println("  " + p.peer().name() + " " + p.peer().virtualIp()));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        manager.leave().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        over.countDown();
      }));
      over.await();
    } catch (ExecutionException e) {
      System.err.println(e.getCause() instanceof PartyException p ? p.getMessage() : e.getCause().toString());
      System.exit(1);
    } catch (java.util.concurrent.TimeoutException e) {
      System.err.println("timed out: " + e.getMessage());
      System.exit(1);
    }
  }
}
