package io.partynet.examples.cli.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The verdicts that do not need a network: NAT type from mapped addresses, clock skew, modes, the report. */
class ChecksTest {

  @Test
  void natTypeFromWhatTheServersSaw() {
    assertEquals(Check.Status.PASS, NetworkChecks.natType(List.of(new InetSocketAddress("127.0.0.1", 4000)), 4000)
        .status(), "our own address and port: no NAT");
    InetSocketAddress outside = new InetSocketAddress("198.51.100.7", 62000);
    assertEquals(Check.Status.WARN, NetworkChecks.natType(List.of(outside), 4000).status(), "one answer: unknown mapping");
    Check cone = NetworkChecks.natType(List.of(outside, outside), 4000);
    assertEquals(Check.Status.PASS, cone.status());
    assertTrue(cone.detail().contains("endpoint-independent"), cone.detail());
    Check symmetric = NetworkChecks.natType(List.of(outside, new InetSocketAddress("198.51.100.7", 62001)), 4000);
    assertEquals(Check.Status.WARN, symmetric.status());
    assertTrue(symmetric.fix().contains("TURN"), symmetric.fix());
    assertEquals(Check.Status.FAIL, NetworkChecks.natType(List.of(), 4000).status());
  }

  @Test
  void clockSkewAgainstTheServersDateHeader() {
    Instant now = Instant.parse("2026-03-01T10:00:00.400Z");
    assertEquals(Check.Status.PASS, NetworkChecks.clock(Optional.of(date(now.minusMillis(400))), now, 20).status());
    assertEquals(Check.Status.WARN, NetworkChecks.clock(Optional.of(date(now.minusSeconds(90))), now, 20).status());
    Check far = NetworkChecks.clock(Optional.of(date(now.plusSeconds(3600))), now, 20);
    assertEquals(Check.Status.FAIL, far.status());
    assertTrue(far.detail().contains("3598 s") || far.detail().contains("at least"), far.detail());
    assertEquals(Check.Status.WARN, NetworkChecks.clock(Optional.empty(), now, 20).status());
    assertEquals(Check.Status.WARN, NetworkChecks.clock(Optional.of("yesterday"), now, 20).status());
  }

  @Test
  void modesAreWrittenInOctal() {
    assertEquals("0600", HostChecks.octal(PosixFilePermissions.fromString("rw-------")));
    assertEquals("0755", HostChecks.octal(PosixFilePermissions.fromString("rwxr-xr-x")));
  }

  @Test
  void theReportCountsAndHealthMeansNoFailure() {
    List<Check> checks = List.of(Check.pass("backend", "auto picks 'embedded'"),
        Check.warn("nat", "symmetric", "configure a TURN relay"));
    String text = Doctor.text(checks);
    assertTrue(text.contains("PASS  backend  auto picks 'embedded'"), text);
    assertTrue(text.contains("fix: configure a TURN relay"), text);
    assertTrue(text.endsWith("2 checks: 1 passed, 1 warnings, 0 failed\n"), text);
    assertTrue(Doctor.healthy(checks));
    assertFalse(Doctor.healthy(List.of(Check.fail("stun", "no answer", "check UDP"))));
    assertTrue(Doctor.json(checks).contains("\"healthy\" : true"), Doctor.json(checks));
  }

  private static String date(Instant t) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(t.atOffset(ZoneOffset.UTC));
  }
}
