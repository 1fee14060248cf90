package io.partynet.releasecheck;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application's view of the release: {@code examples/consumer-check}, a separate Maven project
 * that imports {@code party-bom} and depends on party-core, party-wireguard-embedded and
 * party-control-local without versions, is built offline against a throwaway local repository
 * holding what this build just packaged, then run on the class path and on the module path (the
 * API as the named module {@code io.partynet}, the rest as automatic modules): each time two
 * members create and join a party and carry a datagram through the embedded WireGuard tunnel.
 * About 40 s on an idle machine.
 */
class ConsumerCheckTest {
  private static final Duration BUILD_LIMIT = Duration.ofMinutes(3);
  private static final Duration RUN_LIMIT = Duration.ofSeconds(90);
  private static final String MAIN = "io.partynet.examples.consumer.ConsumerCheck";

  @TempDir
  static Path work;
  private static Path project;

  @BeforeAll
  static void buildConsumerAgainstTheFreshArtifacts() throws IOException, InterruptedException {
    ThrowawayRepository repository = ThrowawayRepository.seededFrom(
        Path.of(System.getProperty("partynet.local.repository", System.getProperty("user.home") + "/.m2/repository")),
        work.resolve("repository"));
    String version = Reactor.version();
    repository.install("partynet-parent", version, Reactor.root().resolve("pom.xml"), null);
    for (Reactor.Module module : Reactor.modules()) {
      if (!module.published()) {
        continue;
      }
      Path jar = module.packaging().equals("pom") ? null : mainJar(module, version);
      repository.install(module.artifactId(), version, module.dir().resolve("pom.xml"), jar);
    }

    project = work.resolve("consumer-check");
    copyTree(Reactor.root().resolve("examples/consumer-check"), project);
    String mavenHome = System.getProperty("partynet.maven.home");
    assertTrue(mavenHome != null && !mavenHome.isBlank() && !mavenHome.contains("${"),
        "run through Maven (the pom passes partynet.maven.home): " + mavenHome);
    Path maven = Path.of(mavenHome, "bin", "mvn");
    Command.run(List.of(maven.toString(), "-B", "-q", "-o", "-Dmaven.repo.local=" + repository.dir(),
            "-Dpartynet.version=" + version, "package"),
        project, Map.of("JAVA_HOME", System.getProperty("java.home")), BUILD_LIMIT, work.resolve("build.log"))
        .expectSuccess("building examples/consumer-check offline against the throwaway repository");
  }

  @Test
  void createAndJoinOnTheClassPath() throws IOException, InterruptedException {
    String classPath = Stream.concat(Stream.of(project.resolve("target/classes")), dependencyJars().stream())
        .map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator));
    Command run = Command.run(List.of(java(), "-cp", classPath, MAIN, work.resolve("class-path-run").toString()),
        project, Map.of(), RUN_LIMIT, work.resolve("class-path-run.log")).expectSuccess("the class-path run");
    assertTrue(run.output().contains("consumer-check: ok ") && run.output().contains("api-module=unnamed"),
        run.output());
  }

  @Test
  void createAndJoinOnTheModulePath() throws IOException, InterruptedException {
    String modulePath = project.resolve("target/classes") + java.io.File.pathSeparator + project.resolve("target/dependency");
    Command run = Command.run(List.of(java(), "-p", modulePath, "--add-modules", "ALL-MODULE-PATH",
            "-m", "io.partynet.examples.consumer/" + MAIN, work.resolve("module-path-run").toString()),
        project, Map.of(), RUN_LIMIT, work.resolve("module-path-run.log")).expectSuccess("the module-path run");
    assertTrue(run.output().contains("consumer-check: ok ") && run.output().contains("api-module=io.partynet ")
        && run.output().contains("core-module=io.partynet.core"), "named modules on the module path: " + run.output());
  }

  private static List<Path> dependencyJars() throws IOException {
    try (Stream<Path> jars = Files.list(project.resolve("target/dependency"))) {
      List<Path> sorted = new ArrayList<>(jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList());
      assertTrue(sorted.stream().anyMatch(p -> p.getFileName().toString().startsWith("party-core-")), sorted::toString);
      return sorted;
    }
  }

  private static Path mainJar(Reactor.Module module, String version) {
    String finalName = Reactor.element(module.project(), "build")
        .flatMap(build -> Reactor.child(build, "finalName"))
        .orElse(module.artifactId() + "-" + version);
    Path jar = module.target().resolve(finalName + ".jar");
    assertTrue(Files.isRegularFile(jar), jar + " is missing: build the reactor with -am (it packages every module first)");
    return jar;
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Path rel = from.relativize(p);
        if (rel.startsWith("target")) {
          continue;
        }
        Path dest = to.resolve(rel.toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(p, dest);
        }
      }
    }
  }
}
