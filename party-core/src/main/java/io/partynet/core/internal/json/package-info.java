/** The SDK's shared JSON configuration (Jackson). Internal: not part of the public API. */
package io.partynet.core.internal.json;
