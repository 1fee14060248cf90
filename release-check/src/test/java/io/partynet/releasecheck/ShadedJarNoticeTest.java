package io.partynet.releasecheck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The runnable jars that bundle third-party code carry PartyNet's license, a NOTICE that names
 * every bundled library (no more, no fewer) with its license, and the texts of the non-Apache
 * licenses that NOTICE points to.
 */
class ShadedJarNoticeTest {
  /** A line of our NOTICE naming one bundled library: two spaces, groupId:artifactId, its license. */
  private static final Pattern NOTICE_ENTRY = Pattern.compile("^  ([\\w.-]+:[\\w.-]+)\\s+(\\S.*)$");
  /** A line of {@code dependency:list} output: groupId:artifactId:type:version:scope. */
  private static final Pattern LISTED_DEPENDENCY = Pattern.compile("^\\s+([\\w.-]+:[\\w.-]+):jar:\\S+");
  private static final Pattern LICENSE_TEXT = Pattern.compile("META-INF/licenses/[\\w.-]+");

  @ParameterizedTest
  @CsvSource({"party-cli, party-cli.jar", "party-control-server, party-control-server.jar"})
  void noticeListsExactlyTheBundledLibraries(String artifactId, String jarName) throws IOException {
    Reactor.Module module = Reactor.module(artifactId);
    Set<String> bundled = bundledLibraries(module.target().resolve("bundled-dependencies.txt"));
    assertTrue(bundled.contains("io.partynet:party-api"), "the dependency listing looks empty: " + bundled);
    try (JarFile jar = new JarFile(module.target().resolve(jarName).toFile())) {
      String notice = read(jar, "META-INF/NOTICE");
      Set<String> named = new TreeSet<>();
      for (String line : notice.split("\n")) {
        Matcher m = NOTICE_ENTRY.matcher(line);
        if (m.matches()) {
          named.add(m.group(1));
        }
      }
      assertEquals(bundled, named, jarName + ": the library list in " + module.dir().getFileName()
          + "/src/main/resources/META-INF/NOTICE must match what the jar bundles (target/bundled-dependencies.txt)");

      Matcher texts = LICENSE_TEXT.matcher(notice);
      List<String> missing = new ArrayList<>();
      while (texts.find()) {
        if (jar.getEntry(texts.group()) == null) {
          missing.add(texts.group());
        }
      }
      assertEquals(List.of(), missing, jarName + ": license texts the NOTICE points to");
    }
  }

  @ParameterizedTest
  @CsvSource({"party-cli, party-cli.jar", "party-control-server, party-control-server.jar"})
  void licenseIsPartyNetsApacheLicense(String artifactId, String jarName) throws IOException {
    try (JarFile jar = new JarFile(Reactor.module(artifactId).target().resolve(jarName).toFile())) {
      ZipEntry license = jar.getEntry("META-INF/LICENSE");
      assertNotNull(license, jarName + " has no META-INF/LICENSE");
      try (InputStream in = jar.getInputStream(license)) {
        assertArrayEquals(Files.readAllBytes(Reactor.root().resolve("LICENSE")), in.readAllBytes(),
            jarName + ": META-INF/LICENSE must be the repository's LICENSE");
      }
      String text = read(jar, "META-INF/LICENSE");
      assertTrue(text.contains("Apache License") && text.contains("Version 2.0, January 2004"), text);
    }
  }

  private static Set<String> bundledLibraries(Path listing) throws IOException {
    Set<String> bundled = new TreeSet<>();
    for (String line : Files.readAllLines(listing)) {
      Matcher m = LISTED_DEPENDENCY.matcher(line);
      if (m.find()) {
        bundled.add(m.group(1));
      }
    }
    return bundled;
  }

  private static String read(JarFile jar, String name) throws IOException {
    ZipEntry entry = jar.getEntry(name);
    assertNotNull(entry, jar.getName() + " has no " + name);
    try (InputStream in = jar.getInputStream(entry)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
