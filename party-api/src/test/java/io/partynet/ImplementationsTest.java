package io.partynet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.spi.ManagerComponents;
import io.partynet.spi.PartyManagerFactory;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the SDK implementation is found, for every combination a class path can hold: none, one,
 * several, a broken one, and an explicit choice by builder or system property. Each case gets a
 * class loader whose only {@code META-INF/services/io.partynet.spi.PartyManagerFactory} lists the
 * factories below.
 */
class ImplementationsTest {
  @TempDir Path dir;

  @Test
  void noImplementationFailsWithTheFixAndTheDocs() throws IOException {
    BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
        () -> Implementations.find(null, null, loaderListing()));
    assertTrue(e.getMessage().contains("add io.partynet:party-core"), e.getMessage());
    assertTrue(e.getMessage().contains(Implementations.DOCS + "#no-implementation"), e.getMessage());
  }

  @Test
  void oneImplementationIsUsedWithoutWarnings() throws IOException {
    Implementations.Found found = Implementations.find(null, null, loaderListing(FirstFactory.class.getName()));
    assertInstanceOf(FirstFactory.class, found.factory());
    assertEquals(List.of(), found.warnings());
  }

  @Test
  void severalImplementationsUseTheFirstAndWarnHowToChoose() throws IOException {
    Implementations.Found found = Implementations.find(null, null,
        loaderListing(FirstFactory.class.getName(), SecondFactory.class.getName()));
    assertInstanceOf(FirstFactory.class, found.factory());
    assertEquals(1, found.warnings().size());
    String warning = found.warnings().get(0);
    assertTrue(warning.contains(FirstFactory.class.getName()) && warning.contains(SecondFactory.class.getName()), warning);
    assertTrue(warning.contains("-D" + Implementations.FACTORY_PROPERTY), warning);
    assertTrue(warning.contains(Implementations.DOCS + "#several-implementations"), warning);
  }

  @Test
  void brokenImplementationsAreReportedAndSkipped() throws IOException {
    Implementations.Found found = Implementations.find(null, null, loaderListing(ThrowingFactory.class.getName(),
        "io.partynet.NoSuchFactory", FirstFactory.class.getName()));
    assertInstanceOf(FirstFactory.class, found.factory());
    assertEquals(2, found.warnings().size(), found.warnings().toString());
    assertTrue(found.warnings().stream().anyMatch(w -> w.contains("ThrowingFactory")), found.warnings().toString());
    assertTrue(found.warnings().stream().anyMatch(w -> w.contains("NoSuchFactory")), found.warnings().toString());
    assertTrue(found.warnings().stream().allMatch(w -> w.contains(Implementations.DOCS + "#broken-implementation")));
  }

  @Test
  void onlyBrokenImplementationsFailAndSayWhy() throws IOException {
    BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
        () -> Implementations.find(null, null, loaderListing(ThrowingFactory.class.getName())));
    assertTrue(e.getMessage().contains("no factory today"), e.getMessage());
  }

  @Test
  void theBuilderChoiceWinsOverEverything() throws IOException {
    PartyManagerFactory mine = new SecondFactory();
    Implementations.Found found = Implementations.find(mine, FirstFactory.class.getName(),
        loaderListing(FirstFactory.class.getName(), ThrowingFactory.class.getName()));
    assertSame(mine, found.factory());
    assertEquals(List.of(), found.warnings());
  }

  @Test
  void theSystemPropertyPicksAmongSeveralWithoutWarning() throws IOException {
    Implementations.Found found = Implementations.find(null, SecondFactory.class.getName(),
        loaderListing(FirstFactory.class.getName(), SecondFactory.class.getName()));
    assertInstanceOf(SecondFactory.class, found.factory());
    assertEquals(List.of(), found.warnings());
  }

  @Test
  void theSystemPropertyMayNameAnUnregisteredClass() throws IOException {
    Implementations.Found found = Implementations.find(null, SecondFactory.class.getName(), loaderListing());
    assertInstanceOf(SecondFactory.class, found.factory());
  }

  @Test
  void aSystemPropertyThatCannotBeUsedFailsWithTheDocs() throws IOException {
    ClassLoader loader = loaderListing(FirstFactory.class.getName());
    for (String bad : List.of("io.partynet.NoSuchFactory", String.class.getName(), ThrowingFactory.class.getName())) {
      BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
          () -> Implementations.find(null, bad, loader));
      assertTrue(e.getMessage().contains(Implementations.FACTORY_PROPERTY + "=" + bad), e.getMessage());
      assertTrue(e.getMessage().contains(Implementations.DOCS + "#explicit-choice"), e.getMessage());
    }
  }

  /** A class loader that sees this test's classes and exactly {@code entries} as factory providers. */
  private ClassLoader loaderListing(String... entries) throws IOException {
    Path services = dir.resolve("META-INF/services");
    Files.createDirectories(services);
    Files.writeString(services.resolve(PartyManagerFactory.class.getName()), String.join("\n", entries) + "\n");
    URL root = dir.toUri().toURL();
    // The parent is the platform loader, so the test's own class path adds no service file; the
    // factories resolve through a loader that sees the test classes.
    ClassLoader testClasses = ImplementationsTest.class.getClassLoader();
    return new URLClassLoader(new URL[] {root}, testClasses) {
      @Override
      public java.util.Enumeration<URL> getResources(String name) throws IOException {
        return findResources(name);
      }
    };
  }

  /** A factory that is never asked to build anything here. */
  public static class FirstFactory implements PartyManagerFactory {
    @Override
    public PartyManager create(ManagerComponents components) {
      throw new UnsupportedOperationException("not used by this test");
    }

    @Override
    public PartyConfig loadConfig(Path home, Map<String, String> overrides) {
      throw new UnsupportedOperationException("not used by this test");
    }
  }

  public static class SecondFactory extends FirstFactory {}

  public static class ThrowingFactory extends FirstFactory {
    public ThrowingFactory() {
      throw new IllegalStateException("no factory today");
    }
  }
}
