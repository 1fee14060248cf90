package io.partynet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.partynet.spi.PartyManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The compiled {@code module-info} of party-api: named {@code io.partynet}, exporting exactly the
 * public API and the SPI (unqualified), and using the factory SPI it loads. The tests run on the
 * class path (see the pom), so the descriptor is read from the build output.
 */
class ModuleDescriptorTest {

  @Test
  void exportsTheApiAndTheSpiAndUsesTheFactory() throws IOException {
    Path compiled = Path.of("target", "classes", "module-info.class");
    ModuleDescriptor descriptor;
    try (InputStream in = Files.newInputStream(compiled)) {
      descriptor = ModuleDescriptor.read(in);
    }
    assertEquals("io.partynet", descriptor.name());
    assertEquals(Set.of("io.partynet", "io.partynet.spi"),
        descriptor.exports().stream().filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source)
            .collect(Collectors.toSet()));
    assertEquals(Set.of(), descriptor.exports().stream().filter(ModuleDescriptor.Exports::isQualified)
        .collect(Collectors.toSet()));
    assertEquals(Set.of(PartyManagerFactory.class.getName()), descriptor.uses());
    assertEquals(Set.of(PartyManager.class.getPackageName(), PartyManagerFactory.class.getPackageName()),
        descriptor.packages());
  }
}
