/** A pure STUN/TURN message codec (RFC 8489, 5780, 8656) on ByteBuffers, with no sockets. Internal. */
package io.partynet.core.internal.nat.stun;
