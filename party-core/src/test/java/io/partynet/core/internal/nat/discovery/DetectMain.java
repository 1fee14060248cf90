package io.partynet.core.internal.nat.discovery;

import io.partynet.spi.NatReport;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link StunNatDetector} in a child JVM inside a lab namespace and prints
 * {@code REPORT <NatType> <mapped endpoint or -> <detail>}. Arguments: the comma-separated servers
 * and the local port (0 for any).
 */
public final class DetectMain {
  private DetectMain() {}

  public static void main(String[] args) throws Exception {
    StunTiming fastLab = new StunTiming(Duration.ofMillis(100), 4, 8);
    var executor = Executors.newSingleThreadExecutor();
    StunNatDetector detector = new StunNatDetector(StunNatDetector.parseServers(args[0]), fastLab, executor);
    NatReport report = detector.detect(Integer.parseInt(args[1])).get(60, TimeUnit.SECONDS);
    System.out.println("REPORT " + report.natType() + " "
        + (report.mappedEndpoint() == null ? "-" : report.mappedEndpoint()) + " " + report.detail());
    executor.shutdown();
  }
}
