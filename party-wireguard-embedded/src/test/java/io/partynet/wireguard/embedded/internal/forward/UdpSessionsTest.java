package io.partynet.wireguard.embedded.internal.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class UdpSessionsTest {

  private static final class Recorded extends UdpSessions.Session {
    boolean closed;

    Recorded(long key) {
      super(key);
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @Test
  void keysAreAddressAndPortWithoutOverlap() {
    assertEquals(0x0a4d_0001_1f90L, UdpSessions.key(0x0a4d0001, 8080));
    assertEquals(0xffff_ffff_ffffL, UdpSessions.key(0xffffffff, 65535), "a negative int address stays positive");
  }

  @Test
  void theLeastRecentlyUsedSessionMakesRoomAndIdleOnesExpire() throws Exception {
    UdpSessions<Recorded> sessions = new UdpSessions<>(2);
    Recorded a = sessions.get(1, Recorded::new);
    Recorded b = sessions.get(2, Recorded::new);
    a.lastUsedNanos = b.lastUsedNanos - 1;
    assertSame(b, sessions.get(2, Recorded::new));
    Recorded c = sessions.get(3, Recorded::new);
    assertTrue(a.closed, "the least recently used session was evicted");
    assertFalse(b.closed);
    assertEquals(2, sessions.size());
    b.lastUsedNanos = System.nanoTime() - 10_000_000_000L;
    sessions.expireIdle(5_000_000_000L);
    assertTrue(b.closed);
    assertEquals(1, sessions.size());
    sessions.closeAll();
    assertTrue(c.closed);
    assertEquals(0, sessions.size());
  }

  /** Against a model: one open session per key at most, never more than the capacity, evicted ones closed. */
  @Property
  void sessionsFollowTheirKeys(@ForAll @Size(max = 200) List<@IntRange(min = 0, max = 20) Integer> keys,
      @ForAll @IntRange(min = 1, max = 8) int capacity) throws Exception {
    UdpSessions<Recorded> sessions = new UdpSessions<>(capacity);
    Map<Long, Recorded> open = new HashMap<>();
    List<Recorded> made = new ArrayList<>();
    for (int k : keys) {
      Recorded s = sessions.get(k, key -> {
        Recorded r = new Recorded(key);
        made.add(r);
        return r;
      });
      Recorded before = open.get((long) k);
      if (before != null && !before.closed) {
        assertSame(before, s, "an open session is found again");
      }
      open.put((long) k, s);
      assertTrue(sessions.size() <= capacity);
      assertEquals(sessions.size(), made.stream().filter(r -> !r.closed).count(), "what is not closed is in the table");
    }
  }
}
