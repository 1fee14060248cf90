package io.partynet.core.internal.nat.discovery;

/** Which inbound UDP a NAT or firewall lets through to a mapping (RFC 4787 section 5, RFC 5780 section 4.4). Thread-safe. */
public enum FilteringBehavior {
  ENDPOINT_INDEPENDENT,
  ADDRESS_DEPENDENT,
  ADDRESS_AND_PORT_DEPENDENT,
  /** Could not be measured (no OTHER-ADDRESS, or the server ignored CHANGE-REQUEST). */
  UNKNOWN
}
