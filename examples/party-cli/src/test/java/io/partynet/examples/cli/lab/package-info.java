/** End-to-end tests and benchmarks of {@code party-cli} members in the NAT lab (network namespaces, real NAT routers). */
package io.partynet.examples.cli.lab;
