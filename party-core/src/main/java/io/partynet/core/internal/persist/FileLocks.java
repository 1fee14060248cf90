package io.partynet.core.internal.persist;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.util.Optional;

/**
 * An exclusive lock on a file shared between processes, waited for until a deadline: Java's
 * {@link FileChannel#lock()} waits forever, and a stuck process must not hang every other one.
 * Stateless and thread-safe.
 */
public final class FileLocks {
  /** How long to wait between attempts; holders keep the lock for one small read-modify-write. */
  private static final long RETRY_MILLIS = 2;

  private FileLocks() {}

  /**
   * Locks {@code channel}'s file, retrying until {@code deadlineNanos} (a {@link System#nanoTime()}
   * value). A lock this JVM already holds on the file counts as held by someone else.
   *
   * @return the lock, or empty when the deadline passed first (the caller says what is stuck)
   * @throws InterruptedIOException when interrupted while waiting
   */
  public static Optional<FileLock> acquire(FileChannel channel, long deadlineNanos) throws IOException {
    while (true) {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException heldInThisJvm) {
        lock = null;
      }
      if (lock != null) {
        return Optional.of(lock);
      }
      if (System.nanoTime() - deadlineNanos > 0) {
        return Optional.empty();
      }
      try {
        Thread.sleep(RETRY_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        InterruptedIOException interrupted = new InterruptedIOException("interrupted while waiting for a file lock");
        interrupted.initCause(e);
        throw interrupted;
      }
    }
  }
}
