package io.partynet.core.internal.concurrent;

import java.util.concurrent.ThreadFactory;

/** Thread factories for the SDK's background threads, which never keep the JVM alive. Stateless. */
public final class DaemonThreads {
  private DaemonThreads() {}

  /** Daemon threads named {@code name}, so thread dumps and logs say whose they are. */
  public static ThreadFactory named(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
