package io.partynet.wireguard.jna.internal.nt;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.WString;
import com.sun.jna.platform.win32.Guid;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.win32.StdCallLibrary;

/**
 * Raw binding of wireguard.dll, the embeddable library of wireguard-nt ({@code api/wireguard.h}).
 * Functions that return {@code BOOL} or a handle report failure as {@code false}/null and leave the
 * reason in the thread's last error; {@link WireGuardNt} turns that into an {@link java.io.IOException}.
 * All functions are {@code WINAPI} (stdcall on 32-bit x86, the only ABI on x64 and arm64).
 *
 * <p>wireguard.dll is thread-safe; so is this binding.
 */
public interface WireGuardNtLibrary extends StdCallLibrary {
  int ADAPTER_STATE_DOWN = 0;
  int ADAPTER_STATE_UP = 1;

  int ADAPTER_LOG_OFF = 0;
  int ADAPTER_LOG_ON = 1;
  int ADAPTER_LOG_ON_WITH_PREFIX = 2;

  int LOG_INFO = 0;
  int LOG_WARN = 1;
  int LOG_ERR = 2;

  /** Loads wireguard.dll from the application directory, PATH or {@code jna.library.path}. */
  static WireGuardNtLibrary load() {
    return Native.load("wireguard", WireGuardNtLibrary.class);
  }

  /** {@code WIREGUARD_LOGGER_CALLBACK}; called on driver and library threads, concurrently. */
  interface LoggerCallback extends StdCallCallback {
    /**
     * @param level a {@code LOG_*} value
     * @param timestamp 100 ns ticks since 1601-01-01 UTC
     */
    void invoke(int level, long timestamp, WString message);
  }

  /** Null on failure. {@code requestedGuid} may be null (the system picks one). */
  Pointer WireGuardCreateAdapter(WString name, WString tunnelType, Guid.GUID requestedGuid);

  /** Null on failure. */
  Pointer WireGuardOpenAdapter(WString name);

  /** Removes the adapter too when it was created (not opened) through this handle. */
  void WireGuardCloseAdapter(Pointer adapter);

  /** Writes the 64-bit {@code NET_LUID}. */
  void WireGuardGetAdapterLUID(Pointer adapter, LongByReference luid);

  /** 0 on failure, else the version as {@code major << 16 | minor}. */
  int WireGuardGetRunningDriverVersion();

  boolean WireGuardDeleteDriver();

  /** Null disables logging. */
  void WireGuardSetLogger(LoggerCallback newLogger);

  boolean WireGuardSetAdapterLogging(Pointer adapter, int logState);

  boolean WireGuardSetAdapterState(Pointer adapter, int state);

  boolean WireGuardGetAdapterState(Pointer adapter, IntByReference state);

  /** {@code config} points to {@code bytes} bytes laid out as {@link NtConfigCodec} writes them. */
  boolean WireGuardSetConfiguration(Pointer adapter, Pointer config, int bytes);

  /**
   * Fills {@code config} (of {@code *bytes} bytes); fails with ERROR_MORE_DATA and sets {@code *bytes}
   * to the size needed when it is too small.
   */
  boolean WireGuardGetConfiguration(Pointer adapter, Pointer config, IntByReference bytes);
}
