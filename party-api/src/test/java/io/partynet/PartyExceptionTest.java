package io.partynet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PartyExceptionTest {
  private static final Map<PartyException.Reason, Class<? extends PartyException>> TYPED = Map.of(
      PartyException.Reason.PARTY_NOT_FOUND, PartyNotFoundException.class,
      PartyException.Reason.PARTY_FULL, PartyFullException.class,
      PartyException.Reason.NOT_HOST, NotHostException.class,
      PartyException.Reason.INVALID_INVITE_CODE, InvalidInviteCodeException.class,
      PartyException.Reason.CONTROL_PLANE_UNAVAILABLE, ControlPlaneUnavailableException.class,
      PartyException.Reason.BACKEND_UNAVAILABLE, BackendUnavailableException.class);

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
  void ofWithoutACauseKeepsTheMessage() {
    PartyException e = PartyException.of(PartyException.Reason.PARTY_FULL, "no free address");
    assertEquals(PartyFullException.class, e.getClass());
    assertEquals("no free address", e.getMessage());
    assertEquals(null, e.getCause());
  }
}
