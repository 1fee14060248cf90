/**
 * The NAT lab: network namespaces, NAT routers, coturn and wireguard-go on one machine, for tests
 * of every module (shared through party-core's test-jar).
 */
package io.partynet.core.lab;
