package io.partynet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PartyExceptionTest {
  private static final Map<PartyException.Reason, Class<? extends PartyException>> TYPED = Map.ofEntries(
      Map.entry(PartyException.Reason.UNSAFE_DIRECTORY, UnsafeDirectoryException.class),
      Map.entry(PartyException.Reason.INVITE_EXPIRED, InviteExpiredException.class),
      Map.entry(PartyException.Reason.INVITE_REVOKED, InviteRevokedException.class),
      Map.entry(PartyException.Reason.INVITE_USED_UP, InviteUsedUpException.class),
      Map.entry(PartyException.Reason.PARTY_NOT_FOUND, PartyNotFoundException.class),
      Map.entry(PartyException.Reason.PARTY_FULL, PartyFullException.class),
      Map.entry(PartyException.Reason.NOT_HOST, NotHostException.class),
      Map.entry(PartyException.Reason.INVALID_INVITE_CODE, InvalidInviteCodeException.class),
      Map.entry(PartyException.Reason.CONTROL_PLANE_UNAVAILABLE, ControlPlaneUnavailableException.class),
      Map.entry(PartyException.Reason.BACKEND_UNAVAILABLE, BackendUnavailableException.class));

  @Test
  void ofYieldsTheSubclassOfEveryReasonThatHasOne() {
    IOException cause = new IOException("boom");
    for (PartyException.Reason reason : PartyException.Reason.values()) {
      PartyException e = PartyException.of(reason, "what happened", cause);
      assertEquals(TYPED.getOrDefault(reason, PartyException.class), e.getClass(), reason.name());
      assertEquals(reason, e.reason());
      assertEquals("what happened", e.getMessage());
      assertSame(cause, e.getCause());
    }
  }

  @Test
  void everyInviteRefusalIsAnInviteNoLongerValid() {
    for (PartyException.Reason reason : new PartyException.Reason[] {PartyException.Reason.INVITE_EXPIRED,
        PartyException.Reason.INVITE_REVOKED, PartyException.Reason.INVITE_USED_UP}) {
      assertEquals(true, PartyException.of(reason, "no") instanceof InviteNoLongerValidException, reason.name());
    }
  }

  @Test
  void ofWithoutACauseKeepsTheMessage() {
    PartyException e = PartyException.of(PartyException.Reason.PARTY_FULL, "no free address");
    assertEquals(PartyFullException.class, e.getClass());
    assertEquals("no free address", e.getMessage());
    assertEquals(null, e.getCause());
  }
}
