package io.partynet.core.internal.nat.discovery;

/** How a NAT maps an inside UDP port to public ones (RFC 4787 section 4.1, RFC 5780 section 4.3). Thread-safe. */
public enum MappingBehavior {
  /** The mapped address equals the local one: no translation at all. */
  NO_NAT,
  ENDPOINT_INDEPENDENT,
  ADDRESS_DEPENDENT,
  ADDRESS_AND_PORT_DEPENDENT,
  /** Could not be measured (no OTHER-ADDRESS, or a test went unanswered). */
  UNKNOWN
}
