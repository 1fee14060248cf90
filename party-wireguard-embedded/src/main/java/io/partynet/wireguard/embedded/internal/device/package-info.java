/**
 * The WireGuard device: one UDP socket, its receive thread, its delivery and send stages, the
 * peers with their keypairs and timers, the index table, and the hook that lets NAT traversal
 * share the socket.
 */
package io.partynet.wireguard.embedded.internal.device;
