package io.partynet.releasecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** party-bom manages exactly the published artifacts, each at the build's version. */
class BomTest {

  @Test
  void bomManagesEveryPublishedArtifactAndNothingElse() throws IOException {
    Set<String> published = new TreeSet<>();
    for (Reactor.Module m : Reactor.modules()) {
      if (m.published() && !m.packaging().equals("pom")) {
        published.add(m.artifactId());
      }
    }
    Reactor.Module bom = Reactor.module("party-bom");
    Set<String> managed = new TreeSet<>();
    Element dependencies = Reactor.element(Reactor.element(bom.project(), "dependencyManagement")
        .orElseThrow(), "dependencies").orElseThrow();
    for (Element dependency : Reactor.children(dependencies, "dependency")) {
      String artifactId = Reactor.child(dependency, "artifactId").orElseThrow();
      assertEquals("io.partynet", Reactor.child(dependency, "groupId").orElseThrow(), artifactId);
      assertEquals("${project.version}", Reactor.child(dependency, "version").orElseThrow(), artifactId);
      managed.add(artifactId);
    }
    assertEquals(published, managed, "party-bom/pom.xml must manage every published module (those without "
        + "maven.deploy.skip) and no other artifact");
  }

  /** The release profile's enforcer checks this for the modules under the parent; the BOM has none. */
  @Test
  void bomCarriesTheMetadataMavenCentralRequires() throws IOException {
    Element bom = Reactor.module("party-bom").project();
    for (String field : new String[] {"name", "description", "url"}) {
      assertTrue(Reactor.child(bom, field).filter(v -> !v.isBlank()).isPresent(), "party-bom has no " + field);
    }
    Element license = Reactor.element(Reactor.element(bom, "licenses").orElseThrow(), "license").orElseThrow();
    assertEquals("Apache-2.0", Reactor.child(license, "name").orElseThrow());
    Element developer = Reactor.element(Reactor.element(bom, "developers").orElseThrow(), "developer").orElseThrow();
    assertTrue(Reactor.child(developer, "name").isPresent(), "party-bom names no developer");
    Element scm = Reactor.element(bom, "scm").orElseThrow();
    Element parentScm = Reactor.element(Reactor.pom(Reactor.root().resolve("pom.xml")), "scm").orElseThrow();
    assertEquals(Reactor.child(parentScm, "url"), Reactor.child(scm, "url"), "the BOM and the parent name one repository");
    assertEquals(Reactor.child(parentScm, "connection"), Reactor.child(scm, "connection"));
  }

  @Test
  void bomHasTheBuildsVersionAndNoParent() throws IOException {
    Reactor.Module bom = Reactor.module("party-bom");
    assertEquals(Reactor.version(), Reactor.child(bom.project(), "version").orElseThrow());
    assertEquals(0, Reactor.children(bom.project(), "parent").size(),
        "importing a BOM imports its parent's dependencyManagement too: party-bom must have no parent");
  }
}
