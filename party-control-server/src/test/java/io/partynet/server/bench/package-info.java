/** Load benchmarks of the control plane server: {@code main} programs run by hand, never by surefire. */
package io.partynet.server.bench;
