package io.partynet.testing.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Decides whether a {@link LabTest} can run here: Linux, root, {@code ip netns} working, every
 * tool on the PATH, /dev/net/tun where needed. Answers are cached per JVM (the machine does not
 * change during a run). Thread-safe.
 */
public final class LabCondition implements ExecutionCondition {
  private static final ConcurrentMap<String, Optional<String>> MISSING = new ConcurrentHashMap<>();

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    List<LabTest> marks = new ArrayList<>();
    context.getElement().flatMap(e -> AnnotationSupport.findAnnotation(e, LabTest.class)).ifPresent(marks::add);
    context.getTestClass().flatMap(c -> AnnotationSupport.findAnnotation(c, LabTest.class)).ifPresent(marks::add);
    Set<String> tools = new LinkedHashSet<>(LabTest.Need.NAMESPACES.tools());
    boolean tun = false;
    for (LabTest mark : marks) {
      for (LabTest.Need need : mark.needs()) {
        tools.addAll(need.tools());
        tun |= need.needsTun();
      }
      tools.addAll(List.of(mark.tools()));
    }
    Optional<String> missing = missing(tools, tun);
    return missing.map(what -> ConditionEvaluationResult.disabled("lab test skipped: " + what))
        .orElseGet(() -> ConditionEvaluationResult.enabled("the lab can run here"));
  }

  /** What this machine lacks for the kinds of lab {@code needs} (for a benchmark's main, which JUnit does not run). */
  public static Optional<String> missing(LabTest.Need... needs) {
    Set<String> tools = new LinkedHashSet<>(LabTest.Need.NAMESPACES.tools());
    boolean tun = false;
    for (LabTest.Need need : needs) {
      tools.addAll(need.tools());
      tun |= need.needsTun();
    }
    return missing(tools, tun);
  }

  /** What this machine lacks for a lab with {@code tools} (and /dev/net/tun when {@code tun}); empty when nothing. */
  public static Optional<String> missing(Set<String> tools, boolean tun) {
    return MISSING.computeIfAbsent(tools + (tun ? "+tun" : ""), key -> check(tools, tun));
  }

  private static Optional<String> check(Set<String> tools, boolean tun) {
    if (!Commands.isLinux()) {
      return Optional.of("needs Linux (network namespaces)");
    }
    if (!Commands.isRoot()) {
      return Optional.of("needs root (network namespaces, iptables); CI runs the lab tests as root");
    }
    List<String> absent = tools.stream().filter(t -> !Commands.onPath(t)).toList();
    if (!absent.isEmpty()) {
      return Optional.of("needs " + absent + " on the PATH (the packages .ci/run installs)");
    }
    if (tun && !Files.exists(Path.of("/dev/net/tun"))) {
      return Optional.of("needs /dev/net/tun");
    }
    return namespacesWork();
  }

  private static Optional<String> namespacesWork() {
    CommandResult list = Commands.run("ip", "netns", "list");
    return list.ok() ? Optional.empty()
        : Optional.of("`ip netns` does not work here: " + list.output().strip());
  }
}
