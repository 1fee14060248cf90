/** Benchmark programs (run by hand, never by the test suite); see docs/benchmarks.md. */
package io.partynet.core.bench;
