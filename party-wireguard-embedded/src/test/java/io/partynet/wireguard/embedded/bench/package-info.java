/** Benchmark programs run by hand (never by surefire): throughput, handshake cost, allocations. */
package io.partynet.wireguard.embedded.bench;
