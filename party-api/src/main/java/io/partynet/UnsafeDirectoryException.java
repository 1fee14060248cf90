package io.partynet;

/**
 * A directory or file the SDK must trust (the local control plane's folder, the home) belongs to another
 * user or is open to group or others, so someone else could read or forge what is in it. The message
 * names the path, its owner and mode, and what to do (remove it, fix its mode, or choose another
 * folder). Reason {@link Reason#UNSAFE_DIRECTORY}. Thread-safe: it carries no mutable state of its own, so
 * once thrown it may be handed to any thread.
 */
public class UnsafeDirectoryException extends PartyException {

  /**
   * @param message the path, what is wrong with it and what to do
   */
  public UnsafeDirectoryException(String message) {
    super(Reason.UNSAFE_DIRECTORY, message);
  }

  /**
   * @param message the path, what is wrong with it and what to do
   * @param cause the underlying error, or null
   */
  public UnsafeDirectoryException(String message, Throwable cause) {
    super(Reason.UNSAFE_DIRECTORY, message, cause);
  }
}
