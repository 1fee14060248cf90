/** Test-only helpers for namespace and process based integration tests. */
package io.partynet.wireguard.jna.internal.lab;
