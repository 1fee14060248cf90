/**
 * The WireGuard protocol proper: the Noise_IKpsk2 handshake, the MAC1/MAC2 cookie mechanism,
 * session keypairs with their sliding replay window, and the wire layout of the four messages.
 */
package io.partynet.wireguard.embedded.internal.noise;
