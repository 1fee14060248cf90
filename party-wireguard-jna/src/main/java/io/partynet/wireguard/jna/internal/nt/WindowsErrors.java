package io.partynet.wireguard.jna.internal.nt;

import java.io.IOException;

/** Turns a Win32 error code into an {@link IOException} whose message says what to do; stateless. */
final class WindowsErrors {
  static final int ERROR_FILE_NOT_FOUND = 2;
  static final int ERROR_ACCESS_DENIED = 5;
  static final int ERROR_INVALID_PARAMETER = 87;
  static final int ERROR_MORE_DATA = 234;
  static final int ERROR_ALREADY_EXISTS = 183;

  private WindowsErrors() {}

  static IOException failure(String operation, int error) {
    return new IOException(operation + " failed with Windows error " + error + hint(error));
  }

  private static String hint(int error) {
    return switch (error) {
      case ERROR_FILE_NOT_FOUND -> " (ERROR_FILE_NOT_FOUND): no such adapter, or the WireGuard driver is not loaded";
      case ERROR_ACCESS_DENIED -> " (ERROR_ACCESS_DENIED): creating and configuring WireGuard adapters needs"
          + " Administrator rights; run the application elevated";
      case ERROR_INVALID_PARAMETER -> " (ERROR_INVALID_PARAMETER): the driver rejected the request;"
          + " check keys, ports and allowed IPs";
      case ERROR_ALREADY_EXISTS -> " (ERROR_ALREADY_EXISTS): an adapter with that name exists;"
          + " close it or pick another name";
      case IpHelperLibrary.ERROR_OBJECT_ALREADY_EXISTS -> " (ERROR_OBJECT_ALREADY_EXISTS)";
      case IpHelperLibrary.ERROR_NOT_FOUND -> " (ERROR_NOT_FOUND): the adapter is gone";
      default -> "";
    };
  }
}
