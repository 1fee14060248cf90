/**
 * The in-memory party registry shared by the local control plane and the control plane server:
 * parties, members, last-seen times, virtual IP assignment and cleanup. Internal.
 */
package io.partynet.core.internal.registry;
