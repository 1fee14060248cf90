/** WireGuard (X25519) keys from the JDK and the on-disk private key store. Internal. */
package io.partynet.core.internal.keys;
