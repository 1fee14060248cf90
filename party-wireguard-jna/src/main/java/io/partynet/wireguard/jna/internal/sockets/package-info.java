/**
 * {@link io.partynet.spi.PartyNetwork} for the backends whose virtual interface belongs to the
 * operating system (netlink, uapi, wireguard-nt): ordinary sockets bound to the virtual IP, and
 * socket-to-socket relays where an expose or forward needs one.
 */
package io.partynet.wireguard.jna.internal.sockets;
