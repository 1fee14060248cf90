package io.partynet.wireguard.jna.internal.nt;

import com.sun.jna.Platform;
import io.partynet.BackendUnavailableException;
import io.partynet.PartyConfig;
import io.partynet.spi.NetworkBackend;
import io.partynet.spi.NetworkBackendProvider;

/**
 * Provides {@link WireGuardNtBackend} ({@code network.backend=wireguard-nt}): available on Windows
 * when wireguard.dll loads. Priority 300, so {@code auto} prefers it over userspace backends.
 *
 * <p>Thread-safe; the libraries are loaded once per class loader, on first use.
 */
public final class WireGuardNtBackendProvider implements NetworkBackendProvider {
  static final int PRIORITY = 300;
  static final String INSTALL_HINT = "download wireguard-nt from https://download.wireguard.com/wireguard-nt/"
      + " and put bin\\<architecture>\\wireguard.dll next to the application or on PATH"
      + " (or point -Djna.library.path at its directory); run the application as Administrator";

  @Override
  public String name() {
    return WireGuardNtBackend.NAME;
  }

  @Override
  public boolean isAvailable(PartyConfig config) {
    return Platform.isWindows() && Libraries.INSTANCE.error == null;
  }

  @Override
  public String unavailableReason(PartyConfig config) {
    if (!Platform.isWindows()) {
      return "wireguard-nt runs only on Windows, this is " + System.getProperty("os.name")
          + "; use network.backend=netlink or uapi here";
    }
    if (Libraries.INSTANCE.error != null) {
      return "wireguard.dll could not be loaded (" + Libraries.INSTANCE.error + "): " + INSTALL_HINT;
    }
    return "available";
  }

  @Override
  public int priority() {
    return PRIORITY;
  }

  @Override
  public NetworkBackend create(PartyConfig config) {
    if (!isAvailable(config)) {
      throw new BackendUnavailableException(unavailableReason(config));
    }
    return new WireGuardNtBackend(WireGuardNt.of(Libraries.INSTANCE.wireGuard),
        new IpHelper(Libraries.INSTANCE.ipHelper));
  }

  /** Loads both libraries once, only when first asked on Windows. */
  private static final class Libraries {
    static final Libraries INSTANCE = new Libraries();

    final WireGuardNtLibrary wireGuard;
    final IpHelperLibrary ipHelper;
    final String error;

    private Libraries() {
      WireGuardNtLibrary wg = null;
      IpHelperLibrary ip = null;
      String failure = null;
      if (Platform.isWindows()) {
        try {
          wg = WireGuardNtLibrary.load();
          ip = IpHelperLibrary.load();
        } catch (UnsatisfiedLinkError e) {
          failure = e.getMessage();
        }
      } else {
        failure = "not Windows";
      }
      wireGuard = wg;
      ipHelper = ip;
      error = failure;
    }
  }
}
