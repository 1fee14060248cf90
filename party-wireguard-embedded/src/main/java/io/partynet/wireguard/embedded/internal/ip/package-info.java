/**
 * IP-level pieces of the embedded stack: the IPv4/UDP packet codec with checksums and the
 * allowed-IPs longest-prefix-match table.
 */
package io.partynet.wireguard.embedded.internal.ip;
