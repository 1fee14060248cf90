/** A TURN client (RFC 8656 over UDP) and the loopback relay forwarder that puts WireGuard on a relay. Internal. */
package io.partynet.core.internal.nat.turn;
