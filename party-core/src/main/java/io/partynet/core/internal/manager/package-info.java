/**
 * The party lifecycle behind {@link io.partynet.PartyManager}: create, join, status, leave, kick,
 * heartbeats, control-plane events and recovery of a persisted party after a restart.
 */
package io.partynet.core.internal.manager;
