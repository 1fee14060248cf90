package io.partynet.wireguard.jna.internal.nt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The Java layout constants equal what mingw-w64 computed from the real header ({@link MingwVectors}). */
class NtStructsTest {

  @Test
  void wireguardInterfaceMatchesMingw() {
    assertArrayEquals(MingwVectors.WIREGUARD_INTERFACE, new int[] {
        NtStructs.Interface.SIZE, NtStructs.ALIGNMENT,
        NtStructs.Interface.FLAGS, 4,
        NtStructs.Interface.LISTEN_PORT, 2,
        NtStructs.Interface.PRIVATE_KEY, NtStructs.KEY_LENGTH,
        NtStructs.Interface.PUBLIC_KEY, NtStructs.KEY_LENGTH,
        NtStructs.Interface.PEERS_COUNT, 4});
  }

  @Test
  void wireguardPeerMatchesMingw() {
    assertArrayEquals(MingwVectors.WIREGUARD_PEER, new int[] {
        NtStructs.Peer.SIZE, NtStructs.ALIGNMENT,
        NtStructs.Peer.FLAGS, 4,
        NtStructs.Peer.RESERVED, 4,
        NtStructs.Peer.PUBLIC_KEY, NtStructs.KEY_LENGTH,
        NtStructs.Peer.PRESHARED_KEY, NtStructs.KEY_LENGTH,
        NtStructs.Peer.PERSISTENT_KEEPALIVE, 2,
        NtStructs.Peer.ENDPOINT, NtStructs.SockaddrInet.SIZE,
        NtStructs.Peer.TX_BYTES, 8,
        NtStructs.Peer.RX_BYTES, 8,
        NtStructs.Peer.LAST_HANDSHAKE, 8,
        NtStructs.Peer.ALLOWED_IPS_COUNT, 4});
  }

  @Test
  void wireguardAllowedIpMatchesMingw() {
    assertArrayEquals(MingwVectors.WIREGUARD_ALLOWED_IP, new int[] {
        NtStructs.AllowedIp.SIZE, NtStructs.ALIGNMENT,
        NtStructs.AllowedIp.ADDRESS, 16,
        NtStructs.AllowedIp.ADDRESS_FAMILY, 2,
        NtStructs.AllowedIp.CIDR, 1,
        NtStructs.AllowedIp.FLAGS, 4});
  }

  @Test
  void structsStackWithoutPadding() {
    assertEquals(0, NtStructs.Interface.SIZE % NtStructs.ALIGNMENT);
    assertEquals(0, NtStructs.Peer.SIZE % NtStructs.ALIGNMENT);
    assertEquals(0, NtStructs.AllowedIp.SIZE % NtStructs.ALIGNMENT);
  }

  @Test
  void sockaddrInetMatchesMingw() {
    assertArrayEquals(MingwVectors.SOCKADDR_INET, new int[] {
        NtStructs.SockaddrInet.SIZE, NtStructs.SockaddrInet.ALIGNMENT,
        NtStructs.SockaddrInet.FAMILY, NtStructs.SockaddrInet.PORT, NtStructs.SockaddrInet.IN_ADDR, 16,
        NtStructs.SockaddrInet.FAMILY, NtStructs.SockaddrInet.PORT, NtStructs.SockaddrInet.IN6_FLOWINFO,
        NtStructs.SockaddrInet.IN6_ADDR, NtStructs.SockaddrInet.IN6_SCOPE_ID, NtStructs.SockaddrInet.SIZE});
  }

  @Test
  void constantsMatchMingw() {
    assertArrayEquals(MingwVectors.CONSTANTS, new int[] {
        NtStructs.AF_INET, NtStructs.AF_INET6,
        NtStructs.Interface.HAS_PUBLIC_KEY, NtStructs.Interface.HAS_PRIVATE_KEY,
        NtStructs.Interface.HAS_LISTEN_PORT, NtStructs.Interface.REPLACE_PEERS,
        NtStructs.Peer.HAS_PUBLIC_KEY, NtStructs.Peer.HAS_PRESHARED_KEY, NtStructs.Peer.HAS_PERSISTENT_KEEPALIVE,
        NtStructs.Peer.HAS_ENDPOINT, NtStructs.Peer.REPLACE_ALLOWED_IPS, NtStructs.Peer.REMOVE,
        NtStructs.Peer.UPDATE_ONLY, NtStructs.AllowedIp.REMOVE,
        WireGuardNtLibrary.ADAPTER_STATE_DOWN, WireGuardNtLibrary.ADAPTER_STATE_UP,
        WireGuardNtLibrary.LOG_INFO, WireGuardNtLibrary.LOG_WARN, WireGuardNtLibrary.LOG_ERR,
        IpHelperLibrary.IP_DAD_STATE_PREFERRED, IpHelperLibrary.IP_PREFIX_ORIGIN_MANUAL,
        IpHelperLibrary.IP_SUFFIX_ORIGIN_MANUAL});
  }
}
