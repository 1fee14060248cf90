/**
 * The local SOCKS5 proxy onto the party network (RFC 1928, CONNECT, no authentication), built
 * only on {@link io.partynet.spi.PartyNetwork} so it behaves the same on every backend. Internal.
 */
package io.partynet.core.internal.socks;
