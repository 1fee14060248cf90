/**
 * The network-namespace lab, the only one of PartyNet's tests: {@link io.partynet.testing.lab.Lab}
 * builds namespaces, veths, NAT routers and coturn and runs wireguard-go and child JVMs in them;
 * {@link io.partynet.testing.lab.LabTest} tags a test {@code lab} and skips it with a message only
 * where root, namespaces or a tool are really missing; {@link io.partynet.testing.lab.Commands} is
 * the one command runner. Run as root (CI does); never sends a packet outside the lab's namespaces.
 */
package io.partynet.testing.lab;
