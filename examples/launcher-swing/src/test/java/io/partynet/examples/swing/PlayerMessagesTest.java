package io.partynet.examples.swing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.DisbandReason;
import io.partynet.LeaveReason;
import io.partynet.InvalidInviteCodeException;
import io.partynet.PartyException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class PlayerMessagesTest {

  @Test
  void everyReasonHasASentenceForAPlayerWithoutTheEnumName() {
    for (PartyException.Reason reason : PartyException.Reason.values()) {
      String message = PlayerMessages.forReason(reason);
      assertTrue(message.endsWith("."), reason + ": " + message);
      // Only the fallback names the code: a reason added to the API without a sentence here fails.
      assertFalse(message.contains(reason.name()), reason + " has no sentence of its own: " + message);
    }
  }

  @Test
  void theFutureWrappersAreLookedThrough() {
    PartyException typo = new InvalidInviteCodeException("bad check symbol");
    String expected = PlayerMessages.forReason(PartyException.Reason.INVALID_INVITE_CODE);
    assertEquals(expected, PlayerMessages.forFailure(new CompletionException(typo)));
    assertEquals(expected, PlayerMessages.forFailure(new ExecutionException(new CompletionException(typo))));
    assertEquals(PlayerMessages.forReason(PartyException.Reason.TIMEOUT),
        PlayerMessages.forFailure(new CompletionException(new TimeoutException())));
  }

  @Test
  void partyEndsAndRemovalsReadAsSentences() {
    assertEquals("The host left, so the party is over.", PlayerMessages.forPartyEnd(DisbandReason.HOST_LEFT));
    assertEquals("The host removed you from the party.", PlayerMessages.forRemoval(LeaveReason.KICKED));
    assertEquals("You are no longer in the party.", PlayerMessages.forRemoval(LeaveReason.fromWire("moon-phase")),
        "a reason from a newer peer reads as a plain removal");
    for (DisbandReason reason : DisbandReason.values()) {
      assertFalse(PlayerMessages.forPartyEnd(reason).isBlank(), reason::toString);
    }
    for (LeaveReason reason : LeaveReason.values()) {
      assertFalse(PlayerMessages.forRemoval(reason).isBlank(), reason::toString);
    }
  }
}
