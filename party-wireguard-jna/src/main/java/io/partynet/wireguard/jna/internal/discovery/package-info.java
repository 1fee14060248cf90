/**
 * LAN discovery on Linux hosts whose WireGuard interface is a kernel or TUN interface (netlink and
 * uapi backends): an {@code AF_PACKET} socket with a classic BPF filter sees local programs'
 * broadcasts and multicasts as they leave, and raw IPv4 sockets deliver relayed ones with the
 * sending member's virtual IP as source and TTL 0: broadcasts on the loopback device, multicasts on
 * each interface where a local program joined the group. See docs/lan-discovery.md.
 */
package io.partynet.wireguard.jna.internal.discovery;
