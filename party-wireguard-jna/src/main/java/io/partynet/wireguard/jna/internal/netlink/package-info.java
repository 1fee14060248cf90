/**
 * Linux netlink through JNA: a raw libc binding, pure ByteBuffer codecs per kernel struct,
 * rtnetlink link/address operations, generic netlink and the WireGuard family, and the
 * {@code netlink} backend built on them; internal to party-wireguard-jna.
 */
package io.partynet.wireguard.jna.internal.netlink;
