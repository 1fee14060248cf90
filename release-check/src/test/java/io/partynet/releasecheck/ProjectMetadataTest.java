package io.partynet.releasecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * The project's identity in the poms is one, consistent and the project's own: the parent pom and
 * the parentless BOM name the same organisation, developer, repository and SCM; the developer's
 * e-mail and the organisation URL are on the domain the groupId {@code io.partynet} stands for
 * (what Maven Central verifies); the repository is under the organisation's GitHub account; and
 * the CHANGELOG's links point at that repository. docs/releasing.md lists these values as what to
 * confirm before the first release.
 */
class ProjectMetadataTest {
  private static final List<String> PLACEHOLDER_MARKS = List.of(".example", "noreply", "localhost", "TODO",
      "changeme");

  @Test
  void parentAndBomNameTheSameOrganisationDeveloperAndRepository() throws IOException {
    Element parent = Reactor.pom(Reactor.root().resolve("pom.xml"));
    Element bom = Reactor.module("party-bom").project();
    for (String field : List.of("url", "organization", "developers", "scm")) {
      assertEquals(text(parent, field), text(bom, field),
          "pom.xml and party-bom/pom.xml must carry the same <" + field + ">");
    }
  }

  @Test
  void contactsAreOnTheDomainOfTheGroupId() throws IOException {
    Element parent = Reactor.pom(Reactor.root().resolve("pom.xml"));
    String domain = domainOfGroupId(Reactor.child(parent, "groupId").orElseThrow());
    Element organization = Reactor.element(parent, "organization").orElseThrow();
    assertEquals(domain, host(Reactor.child(organization, "url").orElseThrow()),
        "the organisation URL must be on the groupId's domain");
    Element developer = Reactor.element(Reactor.element(parent, "developers").orElseThrow(), "developer")
        .orElseThrow();
    String email = Reactor.child(developer, "email").orElseThrow();
    assertTrue(email.endsWith("@" + domain), "the developer e-mail " + email + " must be @" + domain);
    assertEquals(Reactor.child(organization, "name"), Reactor.child(developer, "organization"));
    assertEquals(Reactor.child(organization, "url"), Reactor.child(developer, "organizationUrl"));
  }

  @Test
  void repositoryIsUnderTheOrganisationsAccountEverywhere() throws IOException {
    Element parent = Reactor.pom(Reactor.root().resolve("pom.xml"));
    String repository = Reactor.child(parent, "url").orElseThrow();
    Element developer = Reactor.element(Reactor.element(parent, "developers").orElseThrow(), "developer")
        .orElseThrow();
    String account = Reactor.child(developer, "url").orElseThrow();
    assertTrue(repository.startsWith(account + "/"), repository + " must be under " + account);
    Element scm = Reactor.element(parent, "scm").orElseThrow();
    assertEquals(repository, Reactor.child(scm, "url").orElseThrow());
    assertEquals("scm:git:" + repository + ".git", Reactor.child(scm, "connection").orElseThrow());
    String path = URI.create(repository).getPath();
    assertEquals("scm:git:ssh://git@" + host(repository) + path + ".git",
        Reactor.child(scm, "developerConnection").orElseThrow());
    Element issues = Reactor.element(parent, "issueManagement").orElseThrow();
    assertEquals(repository + "/issues", Reactor.child(issues, "url").orElseThrow());

    Matcher links = Pattern.compile("^\\[[^]]+]: (\\S+)$", Pattern.MULTILINE)
        .matcher(Files.readString(Reactor.root().resolve("CHANGELOG.md")));
    int count = 0;
    while (links.find()) {
      count++;
      assertTrue(links.group(1).startsWith(repository + "/"), "CHANGELOG link " + links.group(1)
          + " must point into " + repository);
    }
    assertTrue(count > 0, "CHANGELOG.md has no version links");
  }

  @Test
  void noPlaceholderIsLeftInTheIdentity() throws IOException {
    for (Element project : List.of(Reactor.pom(Reactor.root().resolve("pom.xml")),
        Reactor.module("party-bom").project())) {
      String identity = text(project, "url") + text(project, "organization") + text(project, "developers")
          + text(project, "scm");
      for (String mark : PLACEHOLDER_MARKS) {
        assertFalse(identity.toLowerCase().contains(mark.toLowerCase()), "a placeholder ('" + mark
            + "') in the project metadata: " + identity);
      }
    }
  }

  /** {@code io.partynet} -> {@code partynet.io}. */
  static String domainOfGroupId(String groupId) {
    List<String> parts = new java.util.ArrayList<>(List.of(groupId.split("\\.")));
    java.util.Collections.reverse(parts);
    return String.join(".", parts);
  }

  private static String host(String url) {
    return URI.create(url).getHost();
  }

  private static String text(Element project, String field) {
    return Reactor.element(project, field).map(e -> e.getTextContent().replaceAll("\\s+", " ").trim())
        .orElseThrow(() -> new AssertionError("no <" + field + "> in " + project.getOwnerDocument().getDocumentURI()));
  }
}
