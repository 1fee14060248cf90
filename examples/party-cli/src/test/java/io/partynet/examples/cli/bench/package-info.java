/** Benchmarks of {@code party-cli} in the NAT lab: {@code main} programs run by hand, never by surefire. */
package io.partynet.examples.cli.bench;
