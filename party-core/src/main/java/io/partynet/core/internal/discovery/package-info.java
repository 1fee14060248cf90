/**
 * The party's LAN discovery relay (docs/lan-discovery.md): local programs' broadcasts and
 * multicasts to well-known game discovery ports are carried to every other member through the
 * tunnel and delivered there as if the sender's virtual IP had sent them on a LAN. The relay logic
 * ({@link io.partynet.core.internal.discovery.DiscoveryRelay}) is independent of how a platform
 * captures and delivers datagrams ({@link io.partynet.core.internal.discovery.DiscoveryTap}).
 */
package io.partynet.core.internal.discovery;
