package io.partynet.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The server's sub-packages depend downwards only (docs/server.md, "Code layout"), read from the
 * compiled classes with {@code jdeps}, so a fully qualified name or a type only in a signature
 * counts too. The top package wires them all and may use any.
 */
class PackageLayersTest {
  private static final String BASE = "io.partynet.server.internal";

  /** Each sub-package and the sub-packages it may use. */
  private static final Map<String, Set<String>> ALLOWED = Map.of(
      "http", Set.of("parties", "accounts", "events", "store"),
      "parties.shared", Set.of("parties", "accounts", "events", "store"),
      "parties", Set.of("events", "store"),
      "accounts", Set.of("store"),
      "events", Set.of(),
      "store", Set.of(),
      "logging", Set.of());

  private static final Pattern EDGE = Pattern.compile(
      "^\\s+" + Pattern.quote(BASE) + "(\\.[\\w.]+)?\\s+->\\s+" + Pattern.quote(BASE) + "(\\.[\\w.]+)?\\s", Pattern.MULTILINE);

  @Test
  void subPackagesUseOnlyThePackagesBelowThem() throws Exception {
    Set<String> edges = packageEdges();
    assertTrue(edges.contains("http -> events"), "jdeps saw the server's classes: " + edges);
    Set<String> upwards = new TreeSet<>();
    for (String edge : edges) {
      String[] ends = edge.split(" -> ");
      if (ends[0].isEmpty()) {
        continue;
      }
      Set<String> allowed = ALLOWED.get(ends[0]);
      if (allowed == null || !allowed.contains(ends[1])) {
        upwards.add(edge);
      }
    }
    assertEquals(Set.of(), upwards, "dependencies the layering does not allow (top package: \"\")");
  }

  /** "from -> to" for every dependency between two different server packages ("" is the top package). */
  private static Set<String> packageEdges() throws Exception {
    Path classes = Path.of(ControlServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:package", classes.toString());
    assertEquals(0, status, "jdeps failed: " + err);
    Set<String> edges = new TreeSet<>();
    Matcher m = EDGE.matcher(out.toString());
    while (m.find()) {
      edges.add(name(m.group(1)) + " -> " + name(m.group(2)));
    }
    return edges;
  }

  private static String name(String suffix) {
    return suffix == null ? "" : suffix.substring(1);
  }
}
