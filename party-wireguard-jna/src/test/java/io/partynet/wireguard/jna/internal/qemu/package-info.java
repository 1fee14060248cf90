/**
 * The kernel WireGuard integration test: boots a Debian kernel under qemu and checks the netlink
 * backend against {@code wg show} inside the guest (see docs/qemu-kernel-test.md).
 */
package io.partynet.wireguard.jna.internal.qemu;
