package io.partynet.core.internal.nat.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.partynet.NatType;
import io.partynet.testing.lab.LabProcess;
import io.partynet.testing.lab.LabSite;
import io.partynet.testing.lab.NatKind;
import io.partynet.testing.lab.Lab;
import io.partynet.testing.lab.LabTest;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * From a host behind each of the lab's NATs, the detector's NatType must equal what coturn's own
 * {@code turnutils_natdiscovery} measures for that host, and both must match the router's recipe.
 */
@LabTest(needs = {LabTest.Need.NAT}, tools = {"turnutils_natdiscovery"})
class NatDetectionLabTest {
  private static final Pattern MAPPING = Pattern.compile("NAT with (.+) Mapping!");
  private static final Pattern FILTERING = Pattern.compile("NAT with (.+) Filtering!");
  private static final Pattern REFLEXIVE = Pattern.compile("UDP reflexive addr: ([0-9.]+):[0-9]+");
  private static final Map<NatKind, NatType> RECIPE = Map.of(
      NatKind.OPEN, NatType.OPEN,
      NatKind.FULL_CONE, NatType.FULL_CONE,
      NatKind.PORT_RESTRICTED_CONE, NatType.PORT_RESTRICTED_CONE,
      NatKind.SYMMETRIC, NatType.SYMMETRIC);

  private static Lab lab;

  @BeforeAll
  static void buildLab() {
    lab = Lab.withInternet();
  }

  @AfterAll
  static void tearDown() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void detectorAgreesWithTurnutilsNatdiscoveryOnEveryNat() {
    Map<NatKind, LabSite> sites = new EnumMap<>(NatKind.class);
    Map<NatKind, LabProcess> detectors = new EnumMap<>(NatKind.class);
    Map<NatKind, LabProcess> references = new EnumMap<>(NatKind.class);
    for (NatKind kind : NatKind.values()) {
      LabSite site = lab.addSite(kind);
      sites.put(kind, site);
      detectors.put(kind, lab.startJava(site.hostNamespace(), DetectMain.class, lab.stunServer().toString(), "0"));
      references.put(kind, lab.start(site.hostNamespace(), "natdiscovery-" + kind,
          "turnutils_natdiscovery", "-m", "-f", Lab.STUN_PRIMARY));
    }
    StringBuilder table = new StringBuilder("\nsite                  detector              turnutils_natdiscovery\n");
    for (NatKind kind : NatKind.values()) {
      LabSite site = sites.get(kind);
      String report = detectors.get(kind).awaitValue("REPORT ", Duration.ofSeconds(60));
      NatType detected = NatType.valueOf(report.substring(0, report.indexOf(' ')));
      references.get(kind).awaitExit(Duration.ofSeconds(60));
      NatType reference = classifyNatdiscovery(references.get(kind).output(), site.hostAddress());
      table.append(String.format("%-21s %-21s %s%n", kind, detected, reference));
      assertEquals(RECIPE.get(kind), reference,
          "turnutils_natdiscovery disagrees with the lab's recipe for " + kind + ":\n" + references.get(kind).output());
      assertEquals(reference, detected, "detector vs turnutils_natdiscovery for " + kind + ": " + report);
      String mapped = report.split(" ")[1];
      assertEquals(site.publicAddress(), mapped.substring(0, mapped.indexOf(':')), "mapped address for " + kind);
    }
    System.out.println(table);
  }

  /** turnutils_natdiscovery never says "no NAT": compare its reflexive address with the host's own. */
  static NatType classifyNatdiscovery(String output, String hostAddress) {
    Matcher m = MAPPING.matcher(output);
    Matcher f = FILTERING.matcher(output);
    Matcher r = REFLEXIVE.matcher(output);
    assertNotNull(m.find() ? m.group(1) : null, "no mapping verdict in:\n" + output);
    assertNotNull(f.find() ? f.group(1) : null, "no filtering verdict in:\n" + output);
    assertNotNull(r.find() ? r.group(1) : null, "no reflexive address in:\n" + output);
    MappingBehavior mapping = r.group(1).equals(hostAddress) ? MappingBehavior.NO_NAT : behaviour(m.group(1),
        MappingBehavior.ENDPOINT_INDEPENDENT, MappingBehavior.ADDRESS_DEPENDENT, MappingBehavior.ADDRESS_AND_PORT_DEPENDENT);
    FilteringBehavior filtering = behaviour(f.group(1),
        FilteringBehavior.ENDPOINT_INDEPENDENT, FilteringBehavior.ADDRESS_DEPENDENT,
        FilteringBehavior.ADDRESS_AND_PORT_DEPENDENT);
    return NatClassifier.classify(mapping, filtering);
  }

  private static <T> T behaviour(String words, T independent, T address, T addressAndPort) {
    return switch (words) {
      case "Endpoint Independent" -> independent;
      case "Address Dependent" -> address;
      case "Address and Port Dependent" -> addressAndPort;
      default -> throw new AssertionError("unknown turnutils_natdiscovery verdict: " + words);
    };
  }
}
