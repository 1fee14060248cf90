package io.partynet.server.internal.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.IpPrefix;
import io.partynet.PartyInfo;
import io.partynet.core.internal.registry.PartyRegistry;
import io.partynet.core.internal.registry.RegistrySettings;
import io.partynet.protocol.internal.EventMessage;
import io.partynet.protocol.internal.ProtocolJson;
import io.partynet.protocol.internal.ResumeMessage;
import io.partynet.spi.Signal;
import io.partynet.testing.Eventually;
import io.partynet.testing.TestPeers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An instance's hub fanning out changes another instance committed (what {@link
 * PartyTransactions} stores and the event feed announces): its sessions get them in order under
 * the numbers the database gave them, and a client that moves to this instance resumes by
 * sequence number without a snapshot.
 */
class EventHubCommittedTest {
  private static final RegistrySettings SETTINGS =
      new RegistrySettings(IpPrefix.parse("10.77.0.0/16"), 16, Duration.ofSeconds(90));

  /** The instance that takes the changes, and everything it committed, oldest first. */
  private final PartyRegistry origin = new PartyRegistry(SETTINGS, Clock.systemUTC(), new SecureRandom());
  private final List<StoredEvent> committed = new CopyOnWriteArrayList<>();
  /** Another instance's hub, which learns of changes only through {@link EventHub#applyCommitted}. */
  private final EventHub other = new EventHub(new PartyRegistry(SETTINGS, Clock.systemUTC(), new SecureRandom()), 256);
  private EventHub originHub;
  private String partyId;

  @BeforeEach
  void partyOfHostAndBob() {
    originHub = new EventHub(origin, 256,
        (party, seq, frame, recipients) -> committed.add(new StoredEvent(party, seq, frame, recipients)));
    origin.addListener(originHub);
    partyId = origin.createParty("lan", TestPeers.peer("host")).partyId();
    origin.joinParty(partyId, TestPeers.peer("bob"));
    syncOther();
  }

  @Test
  void changesCommittedElsewhereReachTheSessionsHereInOrderWithTheirNumbers() {
    RecordingSink bob = resume("bob", 2);
    origin.joinParty(partyId, TestPeers.peer("carol"));
    origin.updatePeer(partyId, TestPeers.peer("host").withLatencyMs(12.0));
    syncOther();
    syncOther();
    origin.leaveParty(partyId, "carol");
    syncOther();

    List<String> expected = framesFor("bob", 2);
    assertEquals(3, expected.size(), "carol joined, host updated, carol left");
    Eventually.until(Duration.ofSeconds(30), () -> bob.frames.size() >= expected.size() + 1,
        () -> "bob's frames: " + bob.frames);
    assertEquals(ready(), bob.frames.get(0));
    assertEquals(expected, bob.frames.subList(1, bob.frames.size()), "each once, in order, same numbers");
    assertEquals(List.of(partyId), other.partiesOf("bob"));
    assertEquals(List.of(), other.partiesOf("carol"), "carol left");
  }

  @Test
  void aClientMovingToThisInstanceResumesBySequenceNumberWithoutASnapshot() {
    origin.joinParty(partyId, TestPeers.peer("carol"));
    originHub.signal(new Signal(partyId, "host", "bob", "offer", Map.of("sdp", "x")));
    origin.updatePeer(partyId, TestPeers.peer("carol").withLatencyMs(3.0));
    syncOther();

    RecordingSink bob = resume("bob", 2);
    List<String> missed = framesFor("bob", 2);
    Eventually.until(Duration.ofSeconds(30), () -> bob.frames.contains(ready()), () -> "bob's frames: " + bob.frames);
    assertEquals(missed, bob.frames.subList(0, bob.frames.size() - 1), "exactly the missed events, no snapshot");
    assertTrue(bob.frames.stream().noneMatch(f -> f.contains("\"snapshot\"")));
  }

  @Test
  void aPartyDisbandedElsewhereIsGoneHereAndItsMembersLearnWhy() {
    RecordingSink bob = resume("bob", 2);
    origin.disband(partyId, "host");
    other.applyCommitted(partyId, null, -1, List.copyOf(committed));

    Eventually.until(Duration.ofSeconds(30), () -> bob.frames.size() >= 2, () -> "bob's frames: " + bob.frames);
    assertEquals(framesFor("bob", 2), bob.frames.subList(1, bob.frames.size()));
    assertEquals(List.of(), other.partiesOf("bob"));
    RecordingSink again = resume("bob", 2);
    Eventually.until(Duration.ofSeconds(30), () -> again.frames.contains(ready()), () -> "frames: " + again.frames);
    EventMessage disbanded = parse(again.frames.get(0));
    assertEquals("party-disbanded", disbanded.type());
    assertEquals("disbanded", disbanded.reason(), "the reason the host gave, not \"gone\"");
  }

  @Test
  void aHubThatMissedPrunedEventsRefusesTheGapAndGivesItsMembersASnapshot() {
    RecordingSink bob = resume("bob", 2);
    origin.joinParty(partyId, TestPeers.peer("carol"));
    origin.updatePeer(partyId, TestPeers.peer("carol").withLatencyMs(4.0));
    PartyInfo now = origin.getParty(partyId).orElseThrow();
    long seq = originHub.seqOf(partyId);
    List<StoredEvent> lastOnly = List.of(committed.get(committed.size() - 1));

    assertFalse(other.applyCommitted(partyId, now, seq, lastOnly), "event 3 is missing: a gap");
    other.resetCommitted(partyId, now, seq);

    Eventually.until(Duration.ofSeconds(30), () -> bob.frames.size() >= 2, () -> "bob's frames: " + bob.frames);
    EventMessage snapshot = parse(bob.frames.get(1));
    assertEquals("snapshot", snapshot.type());
    assertEquals(seq, snapshot.seq());
    assertEquals(now, snapshot.party());
    assertEquals(2, bob.frames.size(), "nothing of the gap is sent: " + bob.frames);
    assertEquals(List.of(partyId), other.partiesOf("carol"));
    RecordingSink again = resume("bob", 2);
    Eventually.until(Duration.ofSeconds(30), () -> again.frames.contains(ready()), () -> "frames: " + again.frames);
    assertEquals("snapshot", parse(again.frames.get(0)).type(), "a resume from before the gap gets a snapshot too");
  }

  /** What the event feed makes an instance do: hand it the party now and every committed event. */
  private void syncOther() {
    PartyInfo now = origin.getParty(partyId).orElseThrow();
    assertTrue(other.applyCommitted(partyId, now, originHub.seqOf(partyId), List.copyOf(committed)));
  }

  private List<String> framesFor(String peerId, long afterSeq) {
    List<String> frames = new ArrayList<>();
    for (StoredEvent e : committed) {
      if (e.seq() > afterSeq && e.recipients().contains(peerId)) {
        frames.add(e.frame());
      }
    }
    return frames;
  }

  private RecordingSink resume(String peerId, long lastSeq) {
    RecordingSink sink = new RecordingSink();
    other.connected(peerId, sink);
    other.resume(peerId, sink, ResumeMessage.of(Map.of(partyId, lastSeq)));
    return sink;
  }

  private static String ready() {
    return ProtocolJson.write(EventMessage.ready());
  }

  private static EventMessage parse(String frame) {
    try {
      return ProtocolJson.lenient().readValue(frame, EventMessage.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final class RecordingSink implements EventSink {
    final List<String> frames = new CopyOnWriteArrayList<>();

    @Override
    public void send(String frame) {
      frames.add(frame);
    }

    @Override
    public void close(int code, String reason) {
      frames.add("closed " + code);
    }
  }
}
