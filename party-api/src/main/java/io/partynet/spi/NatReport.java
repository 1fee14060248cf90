package io.partynet.spi;

import io.partynet.Endpoint;
import io.partynet.NatType;
import java.util.Objects;

/**
 * The result of NAT detection.
 *
 * <p>Immutable and thread-safe.
 *
 * @param natType the class, UNKNOWN when detection failed
 * @param mappedEndpoint the public address and port the NAT gave the queried local port; null when unknown
 * @param detail a human-readable explanation (which server answered, or why detection failed)
 */
public record NatReport(NatType natType, Endpoint mappedEndpoint, String detail) {
  /**
   * {@code natType} and {@code detail} are required.
   *
   * @param natType the class, UNKNOWN when detection failed
   * @param mappedEndpoint the public address and port the NAT gave the queried local port; null when unknown
   * @param detail a human-readable explanation (which server answered, or why detection failed)
   */
  public NatReport {
    Objects.requireNonNull(natType, "natType");
    Objects.requireNonNull(detail, "detail");
  }

  /**
   * The report of a detection that could not classify the NAT.
   *
   * @param why what went wrong, for the log
   * @return {@link NatType#UNKNOWN} with no mapped endpoint
   */
  public static NatReport unknown(String why) {
    return new NatReport(NatType.UNKNOWN, null, why);
  }
}
