package io.partynet.releasecheck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * The PartyNet build as the tests see it: the root directory and version (passed by the pom as
 * system properties), its modules, and what each module's pom says. Immutable; thread-safe.
 */
final class Reactor {
  private Reactor() {}

  static Path root() {
    return Path.of(System.getProperty("partynet.root", "..")).toAbsolutePath().normalize();
  }

  static String version() {
    return System.getProperty("partynet.version", "0.1.0-SNAPSHOT");
  }

  /** One module of the build: its directory and its pom. */
  record Module(Path dir, Element project) {
    String artifactId() {
      return child(project, "artifactId").orElseThrow();
    }

    String packaging() {
      return child(project, "packaging").orElse("jar");
    }

    /** Published unless its pom sets {@code maven.deploy.skip} (examples, this module). */
    boolean published() {
      return !element(project, "properties").flatMap(p -> child(p, "maven.deploy.skip"))
          .map(Boolean::parseBoolean).orElse(false);
    }

    Path target() {
      return dir.resolve("target");
    }
  }

  static List<Module> modules() throws IOException {
    Element rootProject = pom(root().resolve("pom.xml"));
    List<Module> modules = new ArrayList<>();
    for (Element module : children(element(rootProject, "modules").orElseThrow(), "module")) {
      Path dir = root().resolve(module.getTextContent().trim());
      modules.add(new Module(dir, pom(dir.resolve("pom.xml"))));
    }
    return modules;
  }

  static Module module(String artifactId) throws IOException {
    return modules().stream().filter(m -> m.artifactId().equals(artifactId)).findFirst()
        .orElseThrow(() -> new AssertionError("no module " + artifactId + " in " + root().resolve("pom.xml")));
  }

  static Element pom(Path file) throws IOException {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      Document document = factory.newDocumentBuilder().parse(Files.newInputStream(file));
      return document.getDocumentElement();
    } catch (ParserConfigurationException | SAXException e) {
      throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** The text of {@code parent}'s first child element {@code name}. */
  static Optional<String> child(Element parent, String name) {
    return element(parent, name).map(e -> e.getTextContent().trim());
  }

  static Optional<Element> element(Element parent, String name) {
    List<Element> found = children(parent, name);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  static List<Element> children(Element parent, String name) {
    List<Element> found = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        found.add(e);
      }
    }
    return found;
  }
}
