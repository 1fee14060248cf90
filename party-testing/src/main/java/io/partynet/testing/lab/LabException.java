package io.partynet.testing.lab;

/** The lab could not be built or a lab command failed; the message has the command and its output. Immutable. */
public final class LabException extends RuntimeException {
  public LabException(String message) {
    super(message);
  }

  public LabException(String message, Throwable cause) {
    super(message, cause);
  }
}
