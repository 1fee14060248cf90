package io.partynet.wireguard.jna.internal.nt;

import com.sun.jna.WString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards wireguard.dll's log (library and, once enabled per adapter, driver messages) to the SLF4J
 * logger {@code io.partynet.wireguard.nt}. Callbacks arrive on Windows threads, concurrently; SLF4J
 * loggers are thread-safe, so this class is too.
 */
final class WireGuardNtLogBridge implements WireGuardNtLibrary.LoggerCallback {
  private static final Logger LOG = LoggerFactory.getLogger("io.partynet.wireguard.nt");

  /** wireguard.dll keeps only a raw function pointer: the callback object must stay reachable. */
  private static volatile WireGuardNtLogBridge installed;

  private final Logger logger;

  WireGuardNtLogBridge(Logger logger) {
    this.logger = logger;
  }

  static synchronized void install(WireGuardNtLibrary library) {
    if (installed == null) {
      installed = new WireGuardNtLogBridge(LOG);
      library.WireGuardSetLogger(installed);
    }
  }

  @Override
  public void invoke(int level, long timestamp, WString message) {
    String text = message == null ? "" : message.toString();
    switch (level) {
      case WireGuardNtLibrary.LOG_ERR -> logger.error("wireguard-nt: {}", text);
      case WireGuardNtLibrary.LOG_WARN -> logger.warn("wireguard-nt: {}", text);
      default -> logger.info("wireguard-nt: {}", text);
    }
  }
}
