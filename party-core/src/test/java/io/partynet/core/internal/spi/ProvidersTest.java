package io.partynet.core.internal.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.BackendUnavailableException;
import io.partynet.PartyConfig;
import io.partynet.testing.FakeNetworkBackend;
import io.partynet.spi.ControlPlane;
import io.partynet.spi.ControlPlaneProvider;
import io.partynet.spi.NetworkBackend;
import io.partynet.spi.NetworkBackendProvider;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each class path combination a user can end up with, simulated with a class loader per case. */
class ProvidersTest {
  @TempDir
  Path dir;

  // -------- providers as they would be listed in META-INF/services

  public static class KernelProvider extends StubBackend {
    public KernelProvider() {
      super("kernel", true, "", 100);
    }
  }

  public static class UserspaceProvider extends StubBackend {
    public UserspaceProvider() {
      super("userspace", true, "", 50);
    }
  }

  public static class MissingBinaryProvider extends StubBackend {
    public MissingBinaryProvider() {
      super("daemon", false, "wireguard-go is not installed: apt install wireguard-go", 80);
    }
  }

  public static class BrokenConstructorProvider extends StubBackend {
    public BrokenConstructorProvider() {
      super("broken", true, "", 1000);
      throw new IllegalStateException("cannot construct");
    }
  }

  public static class NativeLibraryMissingProvider extends StubBackend {
    public NativeLibraryMissingProvider() {
      super("native", true, "", 900);
    }

    @Override
    public boolean isAvailable(PartyConfig config) {
      throw new UnsatisfiedLinkError("libwireguard.so: cannot open shared object file");
    }
  }

  /** A backend provider with fixed answers; its backends are recording fakes. */
  abstract static class StubBackend implements NetworkBackendProvider {
    private final String name;
    private final boolean available;
    private final String reason;
    private final int priority;

    StubBackend(String name, boolean available, String reason, int priority) {
      this.name = name;
      this.available = available;
      this.reason = reason;
      this.priority = priority;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public boolean isAvailable(PartyConfig config) {
      return available;
    }

    @Override
    public String unavailableReason(PartyConfig config) {
      return reason;
    }

    @Override
    public int priority() {
      return priority;
    }

    @Override
    public NetworkBackend create(PartyConfig config) {
      return new FakeNetworkBackend(name);
    }
  }

  public static class LocalPlaneProvider implements ControlPlaneProvider {
    @Override
    public String name() {
      return "local";
    }

    @Override
    public ControlPlane create(PartyConfig config, Clock clock) {
      throw new UnsupportedOperationException("not needed for selection");
    }
  }

  private ClassLoader classPathWith(Class<?> service, Class<?>... providers) throws IOException {
    Path services = Files.createDirectories(dir.resolve("cp-" + System.nanoTime()).resolve("META-INF/services"));
    String lines = List.of(providers).stream().map(Class::getName).collect(Collectors.joining("\n"));
    Files.writeString(services.resolve(service.getName()), lines + "\n");
    return new URLClassLoader(new URL[] {services.getParent().getParent().toUri().toURL()},
        getClass().getClassLoader());
  }

  private List<NetworkBackendProvider> backends(Class<?>... providers) throws IOException {
    return Providers.load(NetworkBackendProvider.class, classPathWith(NetworkBackendProvider.class, providers));
  }

  private static PartyConfig network(String setting) {
    return PartyConfig.builder().networkBackend(setting).build();
  }

  private static String pick(String setting, List<NetworkBackendProvider> candidates) {
    return Providers.selectNetworkBackend(network(setting), candidates).map(NetworkBackendProvider::name)
        .orElse("(none)");
  }

  @Test
  void offMeansNoBackendWhateverIsOnTheClassPath() throws IOException {
    assertEquals("(none)", pick("off", backends(KernelProvider.class)));
    assertEquals("(none)", pick("off", List.of()));
  }

  @Test
  void autoPicksTheAvailableBackendWithTheHighestPriority() throws IOException {
    assertEquals("kernel", pick("auto", backends(UserspaceProvider.class, KernelProvider.class)));
    assertEquals("userspace", pick("auto", backends(UserspaceProvider.class, MissingBinaryProvider.class)));
  }

  @Test
  void anExplicitSettingWinsOverPriority() throws IOException {
    assertEquals("userspace", pick("userspace", backends(KernelProvider.class, UserspaceProvider.class)));
  }

  @Test
  void nothingOnTheClassPathSaysWhichModuleToAdd() {
    BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> pick("auto", List.of()));
    assertTrue(e.getMessage().contains("party-wireguard-jna") && e.getMessage().contains("network.backend=off"),
        e.getMessage());
  }

  @Test
  void autoWithNothingRunnableListsEveryReason() throws IOException {
    BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
        () -> pick("auto", backends(MissingBinaryProvider.class)));
    assertTrue(e.getMessage().contains("daemon (wireguard-go is not installed"), e.getMessage());
  }

  @Test
  void aNamedBackendThatIsAbsentListsWhatIsAvailable() throws IOException {
    BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
        () -> pick("netlink", backends(KernelProvider.class, UserspaceProvider.class, MissingBinaryProvider.class)));
    assertTrue(e.getMessage().contains("network.backend=netlink is not on the class path"), e.getMessage());
    assertTrue(e.getMessage().contains("Available: kernel, userspace."), e.getMessage());
    assertTrue(e.getMessage().contains("Unavailable: daemon (wireguard-go is not installed"), e.getMessage());
  }

  @Test
  void aNamedBackendThatCannotRunSaysWhy() throws IOException {
    BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
        () -> pick("daemon", backends(MissingBinaryProvider.class, UserspaceProvider.class)));
    assertTrue(e.getMessage().startsWith("Network backend 'daemon' cannot run here: wireguard-go is not installed"),
        e.getMessage());
    assertTrue(e.getMessage().contains("Available: userspace."), e.getMessage());
  }

  @Test
  void aProviderThatCannotBeConstructedIsSkipped() throws IOException {
    List<NetworkBackendProvider> loaded = backends(BrokenConstructorProvider.class, UserspaceProvider.class);
    assertEquals(List.of("userspace"), loaded.stream().map(NetworkBackendProvider::name).toList());
    assertEquals("userspace", pick("auto", loaded));
  }

  @Test
  void aProviderWhoseNativeLibraryIsMissingIsUnavailableNotFatal() throws IOException {
    List<NetworkBackendProvider> loaded = backends(NativeLibraryMissingProvider.class, UserspaceProvider.class);
    assertEquals("userspace", pick("auto", loaded));
    BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> pick("native", loaded));
    assertTrue(e.getMessage().contains("libwireguard.so"), e.getMessage());
  }

  @Test
  void selectionIsCaseInsensitive() throws IOException {
    assertEquals("kernel", pick("KERNEL", backends(KernelProvider.class)));
  }

  @Test
  void controlPlaneIsPickedByModeAndAMissingOneListsWhatIsThere() throws IOException {
    List<ControlPlaneProvider> planes = Providers.load(ControlPlaneProvider.class,
        classPathWith(ControlPlaneProvider.class, LocalPlaneProvider.class));
    assertEquals("local", Providers.selectControlPlane("local", planes).name());
    BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
        () -> Providers.selectControlPlane("remote", planes));
    assertTrue(e.getMessage().contains("Available: local.") && e.getMessage().contains("party-control-remote"),
        e.getMessage());
    assertEquals(Optional.empty(), Providers.findControlPlane("remote", planes));
  }

  @Test
  void noControlPlaneAtAllSaysWhichModuleToAdd() {
    BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
        () -> Providers.selectControlPlane("local", List.of()));
    assertTrue(e.getMessage().contains("io.partynet:party-control-local"), e.getMessage());
  }
}
