/**
 * The backend-neutral WireGuard device model (what to set, what was read back) and the shared
 * {@link io.partynet.spi.NetworkBackend} logic on top of it; internal to party-wireguard-jna.
 */
package io.partynet.wireguard.jna.internal.device;
