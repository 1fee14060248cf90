package io.partynet.testing.lab;

/** The home networks the lab can build, each with the recipe lab.md verified. Thread-safe. */
public enum NatKind {
  /** A public address on the host itself, no NAT, no firewall. */
  OPEN,
  /** MASQUERADE plus a DNAT of all inbound UDP to the one host behind it. */
  FULL_CONE,
  /** Plain MASQUERADE behind a stateful firewall. */
  PORT_RESTRICTED_CONE,
  /** MASQUERADE --random-fully behind a stateful firewall: a new port per destination. */
  SYMMETRIC
}
