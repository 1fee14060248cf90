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
  void eachPathIsExplainedFromBothNatTypesAndTheMeasuredLoss() throws Exception {
    com.fasterxml.jackson.databind.JsonNode status = new com.fasterxml.jackson.databind.ObjectMapper().readTree("""
        {"myNatType": "SYMMETRIC", "peers": [
          {"name": "me", "self": true, "natType": "SYMMETRIC", "connectionType": "NONE"},
          {"name": "bob", "self": false, "natType": "SYMMETRIC", "connectionType": "RELAY",
           "linkQuality": {"rttMs": 40.0, "loss": 0.0, "samples": 20}},
          {"name": "carol", "self": false, "natType": "OPEN", "connectionType": "DIRECT",
           "linkQuality": {"rttMs": 12.0, "loss": 0.2, "samples": 20}},
          {"name": "dave", "self": false, "natType": "FULL_CONE", "connectionType": "NONE"}]}""");
    List<Check> checks = PeerChecks.paths(status);
    assertEquals(List.of("path to bob", "path to carol", "path to dave"), checks.stream().map(Check::name).toList());
    assertEquals(Check.Status.PASS, checks.get(0).status(), "two symmetric NATs need the relay: " + checks.get(0));
    assertTrue(checks.get(0).detail().contains("cannot punch"), checks.get(0).detail());
    assertEquals(Check.Status.WARN, checks.get(1).status(), "20 % loss is worth a warning: " + checks.get(1));
    assertTrue(checks.get(1).detail().contains("20% loss"), checks.get(1).detail());
    assertEquals(Check.Status.FAIL, checks.get(2).status());
    assertTrue(checks.get(2).fix().contains("party ping dave"), checks.get(2).fix());
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
