/** Test doubles and helpers shared with other modules through party-core's test-jar. */
package io.partynet.core.testing;
