/**
 * LAN discovery on Linux hosts whose WireGuard interface is a kernel or TUN interface (netlink and
 * uapi backends): an {@code AF_PACKET} socket with a classic BPF filter sees local programs'
 * broadcasts and multicasts as they leave, and a raw IPv4 socket bound to the loopback device
 * delivers relayed ones with the sending member's virtual IP as source. See docs/lan-discovery.md.
 */
package io.partynet.wireguard.jna.internal.discovery;
