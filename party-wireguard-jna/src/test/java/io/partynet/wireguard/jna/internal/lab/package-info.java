/** Key generation and {@code wg show dump} parsing for the namespace tests (the lab itself is party-testing's). */
package io.partynet.wireguard.jna.internal.lab;
