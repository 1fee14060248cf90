/**
 * The application side of the embedded backend: UDP sockets on the local virtual IP and loopback
 * port forwards, built on IPv4/UDP packets that go through the device.
 */
package io.partynet.wireguard.embedded.internal.forward;
