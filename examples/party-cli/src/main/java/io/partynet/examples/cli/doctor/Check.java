package io.partynet.examples.cli.doctor;

import java.util.Objects;

/**
 * One verdict of {@code party doctor}. Immutable and thread-safe.
 *
 * @param name what was checked, a short stable key ({@code backend}, {@code stun 192.0.2.1:3478}, ...)
 * @param status the verdict
 * @param detail what was found, one line
 * @param fix what to do about a WARN or FAIL; empty for PASS
 */
public record Check(String name, Status status, String detail, String fix) {
  /** The verdicts, from good to bad. */
  public enum Status {
    /** Works as needed. */
    PASS,
    /** Works, but something is worse than it could be (a relay instead of a direct path, ...). */
    WARN,
    /** Something PartyNet needs does not work here. */
    FAIL
  }

  public Check {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(detail, "detail");
    fix = fix == null ? "" : fix;
  }

  static Check pass(String name, String detail) {
    return new Check(name, Status.PASS, detail, "");
  }

  static Check warn(String name, String detail, String fix) {
    return new Check(name, Status.WARN, detail, fix);
  }

  static Check fail(String name, String detail, String fix) {
    return new Check(name, Status.FAIL, detail, fix);
  }
}
