package io.partynet.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CLI is an application of the SDK and uses only its public API: no import of another
 * module's {@code .internal} package in the CLI's own code (settings come from
 * {@code PartyConfig.load}, the implementation from ServiceLoader).
 */
class NoInternalImportsTest {
  private static final Pattern INTERNAL_IMPORT =
      Pattern.compile("^import\\s+(static\\s+)?io\\.partynet\\.(?!examples\\.)[\\w.]*\\binternal\\b.*");

  @Test
  void mainSourcesImportNoInternalPackageOfAnotherModule() throws IOException {
    List<String> offending = new ArrayList<>();
    int scanned = 0;
    Path sources = Path.of("src", "main", "java");
    try (Stream<Path> files = Files.walk(sources)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        scanned++;
        for (String line : Files.readAllLines(file)) {
          if (INTERNAL_IMPORT.matcher(line.strip()).matches()) {
            offending.add(sources.relativize(file) + ": " + line.strip());
          }
        }
      }
    }
    assertTrue(scanned > 0, "no sources under " + sources.toAbsolutePath());
    assertEquals(List.of(), offending);
  }
}
