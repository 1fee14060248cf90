package io.partynet.wireguard.jna.internal.nt;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.WString;
import com.sun.jna.platform.win32.Guid;
import java.io.IOException;
import java.util.Objects;
import java.util.UUID;
import java.util.function.IntSupplier;

/**
 * The checked face of wireguard.dll: each call that fails becomes an {@link IOException} carrying the
 * Windows error code and what to do about it. Adapters come back as {@link WireGuardNtAdapter}s.
 *
 * <p>Thread-safe.
 */
public final class WireGuardNt {
  /** Adapter names are limited to {@code MAX_ADAPTER_NAME - 1} = 127 UTF-16 units. */
  static final int MAX_ADAPTER_NAME_LENGTH = 127;

  private final WireGuardNtLibrary library;
  private final IntSupplier lastError;

  /**
   * @param lastError reads the calling thread's last error right after a failed call; JNA's
   *     {@link Native#getLastError()} in production, a stub in tests
   */
  WireGuardNt(WireGuardNtLibrary library, IntSupplier lastError) {
    this.library = Objects.requireNonNull(library, "library");
    this.lastError = Objects.requireNonNull(lastError, "lastError");
  }

  /** Binds {@code library} (normally {@link WireGuardNtLibrary#load()}) and routes its log to SLF4J. */
  public static WireGuardNt of(WireGuardNtLibrary library) {
    WireGuardNtLogBridge.install(library);
    return new WireGuardNt(library, Native::getLastError);
  }

  /**
   * Creates an adapter; closing it removes it again.
   *
   * @param requestedGuid fixes the adapter's GUID, so Windows keeps one network profile for it
   */
  public WireGuardNtAdapter createAdapter(String name, String tunnelType, UUID requestedGuid) throws IOException {
    requireAdapterName(name);
    requireAdapterName(tunnelType);
    Pointer handle = library.WireGuardCreateAdapter(new WString(name), new WString(tunnelType),
        requestedGuid == null ? null : toGuid(requestedGuid));
    if (handle == null) {
      throw WindowsErrors.failure("WireGuardCreateAdapter(" + name + ")", lastError.getAsInt());
    }
    return new WireGuardNtAdapter(library, lastError, handle, name);
  }

  /** Opens an existing adapter; closing it leaves the adapter in place. */
  public WireGuardNtAdapter openAdapter(String name) throws IOException {
    requireAdapterName(name);
    Pointer handle = library.WireGuardOpenAdapter(new WString(name));
    if (handle == null) {
      throw WindowsErrors.failure("WireGuardOpenAdapter(" + name + ")", lastError.getAsInt());
    }
    return new WireGuardNtAdapter(library, lastError, handle, name);
  }

  /** The loaded driver's version as {@code major << 16 | minor}. */
  public int runningDriverVersion() throws IOException {
    int version = library.WireGuardGetRunningDriverVersion();
    if (version == 0) {
      throw WindowsErrors.failure("WireGuardGetRunningDriverVersion", lastError.getAsInt());
    }
    return version;
  }

  private static void requireAdapterName(String name) {
    if (name == null || name.isEmpty() || name.length() > MAX_ADAPTER_NAME_LENGTH || name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "adapter names are 1.." + MAX_ADAPTER_NAME_LENGTH + " characters without NUL: " + name);
    }
  }

  /** The GUID with the same 128 bits, in Windows' mixed-endian field split. */
  static Guid.GUID toGuid(UUID uuid) {
    Guid.GUID guid = new Guid.GUID();
    long high = uuid.getMostSignificantBits();
    long low = uuid.getLeastSignificantBits();
    guid.Data1 = (int) (high >>> 32);
    guid.Data2 = (short) (high >>> 16);
    guid.Data3 = (short) high;
    for (int i = 0; i < 8; i++) {
      guid.Data4[i] = (byte) (low >>> (56 - 8 * i));
    }
    guid.write();
    return guid;
  }
}
