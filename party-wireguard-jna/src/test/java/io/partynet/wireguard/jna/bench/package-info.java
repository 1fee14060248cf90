/** Benchmarks run by hand as {@code main} programs; never picked up by surefire. */
package io.partynet.wireguard.jna.bench;
