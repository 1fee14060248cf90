package io.partynet.protocol.internal;

import io.partynet.PartyException;
import java.util.Objects;

/**
 * Every error answer: {@code code} is a {@link PartyException.Reason} name, {@code message} says
 * what went wrong and what to do. Immutable and thread-safe.
 */
public record ErrorBody(String code, String message) {
  public ErrorBody {
    Objects.requireNonNull(code, "code");
    message = message == null ? "" : message;
  }

  public static ErrorBody of(PartyException.Reason reason, String message) {
    return new ErrorBody(reason.name(), message);
  }
}
