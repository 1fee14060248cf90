/** STUN transactions and RFC 5780 NAT behaviour discovery, classified into the SDK's NatType. Internal. */
package io.partynet.core.internal.nat.discovery;
