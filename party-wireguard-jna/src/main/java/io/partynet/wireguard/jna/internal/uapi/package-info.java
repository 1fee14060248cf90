/**
 * The cross-platform WireGuard userspace API (UAPI): a pure text codec, a client over the
 * daemon's unix socket, a launcher for the daemon, and the {@code uapi} backend; internal to
 * party-wireguard-jna.
 */
package io.partynet.wireguard.jna.internal.uapi;
