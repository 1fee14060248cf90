package io.partynet.testing.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProcCpuTest {

  @Test
  void utimeAndStimeAreCountedAfterTheCommandName() {
    // A command name with a space and a parenthesis, as a process may name itself.
    String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 9000 0 3 0 1234 56 7 8 20 0 30 0 100 0 0";
    assertEquals(1234 + 56, ProcCpu.ticksOf(stat));
  }

  @Test
  void thisProcessHasUsedSomeCpuAndTheCountGrowsWithWork() {
    long pid = ProcessHandle.current().pid();
    Duration before = ProcCpu.of(pid);
    long sink = 0;
    long until = System.nanoTime() + 300_000_000L;
    while (System.nanoTime() < until) {
      sink += Long.numberOfTrailingZeros(sink + System.nanoTime());
    }
    Duration after = ProcCpu.of(pid);
    assertTrue(before.compareTo(Duration.ZERO) > 0, "a JVM that ran tests used CPU: " + before);
    assertTrue(after.compareTo(before) > 0, "300 ms of spinning shows: " + before + " -> " + after + " " + sink);
  }
}
