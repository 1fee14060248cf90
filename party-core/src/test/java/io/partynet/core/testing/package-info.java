/**
 * Test doubles and helpers shared with other modules through party-core's test-jar (an in-memory
 * control plane, a recording network backend, an in-memory state persister, a manual scheduler, a
 * recording listener, a manual clock); never shipped in main code.
 */
package io.partynet.core.testing;
