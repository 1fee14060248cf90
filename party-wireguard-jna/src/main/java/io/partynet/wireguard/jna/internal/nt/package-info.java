/**
 * The {@code wireguard-nt} network backend: Windows WireGuard through wireguard.dll and the IP Helper
 * API, bound with JNA, with a pure codec for the driver's configuration buffer.
 */
package io.partynet.wireguard.jna.internal.nt;
