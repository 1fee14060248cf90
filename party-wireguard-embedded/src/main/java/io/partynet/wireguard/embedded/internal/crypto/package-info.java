/**
 * The cryptographic primitives WireGuard needs, taken from the JDK (X25519, ChaCha20-Poly1305) and
 * BouncyCastle (BLAKE2s), composed but never reimplemented.
 */
package io.partynet.wireguard.embedded.internal.crypto;
