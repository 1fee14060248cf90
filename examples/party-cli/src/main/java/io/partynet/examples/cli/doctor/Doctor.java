package io.partynet.examples.cli.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.partynet.PartyConfig;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code party doctor}: runs every check of the machine ({@link HostChecks}), the network
 * ({@link NetworkChecks}) and, when a member runs with the home, its paths ({@link PeerChecks}) for
 * the settings of one home, and prints the verdicts as aligned lines
 * with a fix under each WARN and FAIL, or as one JSON document.
 *
 * <p>Not thread-safe; one instance per invocation.
 */
public final class Doctor {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final PartyConfig config;
  private final JsonNode runningStatus;

  /**
   * @param config the settings of the home, with this run's overrides
   * @param runningStatus the status document of the member running with this home now (it
   *     legitimately holds the ports, and its paths are explained), or null when none runs
   */
  public Doctor(PartyConfig config, JsonNode runningStatus) {
    this.config = config;
    this.runningStatus = runningStatus;
  }

  /** Every check, in the order they are printed. */
  public List<Check> checks() {
    List<Check> checks = new ArrayList<>(HostChecks.backend(config));
    checks.add(HostChecks.privileges());
    checks.add(HostChecks.wireguardGo(config));
    checks.add(HostChecks.kernelModule());
    checks.add(HostChecks.listenPort(config, runningStatus != null));
    checks.addAll(HostChecks.homeModes(config));
    checks.addAll(NetworkChecks.controlServer(config));
    checks.addAll(NetworkChecks.stunAndNat(config));
    checks.addAll(NetworkChecks.turnServer(config));
    if (runningStatus != null) {
      checks.addAll(PeerChecks.paths(runningStatus));
    }
    return checks;
  }

  /** True when no check failed (warnings allowed). */
  public static boolean healthy(List<Check> checks) {
    return checks.stream().noneMatch(c -> c.status() == Check.Status.FAIL);
  }

  /** One line per check ({@code PASS  name  detail}), its fix indented below, and a count. */
  public static String text(List<Check> checks) {
    int width = checks.stream().mapToInt(c -> c.name().length()).max().orElse(0);
    StringBuilder out = new StringBuilder();
    for (Check c : checks) {
      out.append(String.format(Locale.ROOT, "%-4s  %-" + width + "s  %s%n", c.status(), c.name(), c.detail()));
      if (!c.fix().isEmpty()) {
        out.append(" ".repeat(6 + width + 2)).append("fix: ").append(c.fix()).append('\n');
      }
    }
    long warn = checks.stream().filter(c -> c.status() == Check.Status.WARN).count();
    long fail = checks.stream().filter(c -> c.status() == Check.Status.FAIL).count();
    out.append(String.format(Locale.ROOT, "%d checks: %d passed, %d warnings, %d failed%n", checks.size(),
        checks.size() - warn - fail, warn, fail));
    return out.toString();
  }

  /** {@code {"healthy": bool, "checks": [{"name", "status", "detail", "fix"}...]}}. */
  public static String json(List<Check> checks) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("healthy", healthy(checks));
    ArrayNode all = root.putArray("checks");
    for (Check c : checks) {
      ObjectNode n = all.addObject();
      n.put("name", c.name());
      n.put("status", c.status().name());
      n.put("detail", c.detail());
      n.put("fix", c.fix());
    }
    return root.toPrettyString() + "\n";
  }

  /** Prints the report to {@code out}; true when nothing failed. */
  public boolean report(PrintStream out, boolean asJson) {
    List<Check> checks = checks();
    out.print(asJson ? json(checks) : text(checks));
    return healthy(checks);
  }
}
