/**
 * Connection management: which path each peer pair uses (direct, coordinated punch, relay), link
 * health from WireGuard's own counters, reconnection with backoff, latency. Internal.
 */
package io.partynet.core.internal.connection;
