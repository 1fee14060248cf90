package io.partynet.examples.swing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.partynet.ConnectionType;
import org.junit.jupiter.api.Test;

/** What the ping column writes and which colour its bar takes, from round trip, jitter and loss. */
class PingBarTextTest {
  private static MemberTableModel.Row row(Double rtt, Double jitter, double loss) {
    return new MemberTableModel.Row("bob", false, false, "10.77.0.2", ConnectionType.DIRECT, rtt, jitter, loss);
  }

  @Test
  void roundTripJitterAndLossAreWrittenWhenKnown() {
    assertEquals("\u2014", PingBar.text(row(null, null, 0)), "not measured yet");
    assertEquals("23 ms", PingBar.text(row(23.4, null, 0)));
    assertEquals("23 \u00b12 ms", PingBar.text(row(23.4, 1.6, 0)));
    assertEquals("80 \u00b19 ms 12%", PingBar.text(row(80.2, 9.0, 0.12)));
    assertEquals("", PingBar.text(new MemberTableModel.Row("me", true, true, "10.77.0.1", ConnectionType.NONE,
        null, null, 0)), "nothing for oneself");
  }

  @Test
  void lossMakesTheBarAmberOrRedWhateverTheRoundTrip() {
    assertEquals(PingBar.GOOD, PingBar.color(20, 0));
    assertEquals(PingBar.FAIR, PingBar.color(20, 0.03));
    assertEquals(PingBar.POOR, PingBar.color(20, 0.15));
    assertEquals(PingBar.FAIR, PingBar.color(100, 0));
    assertEquals(PingBar.POOR, PingBar.color(200, 0));
  }
}
