/**
 * WireGuard inside the JVM over a plain UDP socket ({@link io.partynet.wireguard.embedded.internal.EmbeddedBackend}):
 * no kernel module, no TUN device, no administrator rights; applications reach the party through
 * its datagram API and loopback port forwards.
 */
package io.partynet.wireguard.embedded.internal;
