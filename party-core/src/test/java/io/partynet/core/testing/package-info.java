/**
 * Reusable test doubles for the SDK (an in-memory control plane, a recording network backend, an
 * in-memory state persister, a manual scheduler, a recording listener), published in party-core's
 * test-jar for the other modules' tests. Never shipped in main code.
 */
package io.partynet.core.testing;
