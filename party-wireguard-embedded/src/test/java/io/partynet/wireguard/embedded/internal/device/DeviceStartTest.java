package io.partynet.wireguard.embedded.internal.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.testing.Eventually;
import io.partynet.wireguard.embedded.internal.crypto.X25519;
import io.partynet.wireguard.embedded.internal.noise.StaticIdentity;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Starting a device: bad input is refused before anything runs, and closing stops every thread it started. */
class DeviceStartTest {
  private final SecureRandom random = new SecureRandom();

  @Test
  void refusesAnMtuOutsideWhatTheInterfaceConfigAccepts() {
    for (int mtu : new int[] {0, 575, 9001}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> start(mtu));
      assertTrue(e.getMessage().contains("576..9000"), e.getMessage());
    }
  }

  @Test
  void closeStopsTheReceiveThreadAndBothStages() throws Exception {
    Device device = start(1420);
    String port = Integer.toString(device.localPort());
    assertEquals(3, threadsOf(port).size(), "receive, send and delivery threads: " + threadsOf(port));
    device.close();
    // close() joins each thread for a bounded time: on a loaded machine one may end just after
    Eventually.until(Duration.ofSeconds(30), () -> threadsOf(port).isEmpty(), () -> "still running: " + threadsOf(port));
  }

  private Device start(int mtu) throws Exception {
    return Device.start(new StaticIdentity(X25519.generatePrivateKey(random)),
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Clock.systemUTC(), random, mtu, 64);
  }

  /** Live threads of the device on {@code port} (each is named after the port). */
  private static Set<String> threadsOf(String port) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.startsWith("partynet-wg-") && name.endsWith("-" + port))
        .collect(Collectors.toSet());
  }
}
