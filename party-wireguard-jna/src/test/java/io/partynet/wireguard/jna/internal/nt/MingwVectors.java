package io.partynet.wireguard.jna.internal.nt;

import io.partynet.Endpoint;
import io.partynet.IpPrefix;
import io.partynet.Key;
import java.util.HexFormat;

/**
 * Values that x86_64-w64-mingw32-gcc 12.2 (Debian 12, mingw-w64 10.0.0) computed from wireguard-nt's
 * {@code api/wireguard.h} at tag 1.0 (commit 6a7e4dcc52716791977cbb6e50b0277bb7d6b96c) and mingw-w64's
 * {@code iphlpapi.h}/{@code netioapi.h}. The C programs and the commands that extract these numbers
 * from the object files are in docs/wireguard-nt.md ("How it was verified without Windows").
 */
final class MingwVectors {
  private MingwVectors() {}

  /**
   * {@code layout.o}, section {@code .wglay}, read as little-endian uint32s: for each struct its sizeof
   * and _Alignof, then for each field its offsetof and sizeof (the order of the program).
   */
  static final int[] WIREGUARD_INTERFACE = {80, 8, /* Flags */ 0, 4, /* ListenPort */ 4, 2,
      /* PrivateKey */ 6, 32, /* PublicKey */ 38, 32, /* PeersCount */ 72, 4};
  static final int[] WIREGUARD_PEER = {136, 8, /* Flags */ 0, 4, /* Reserved */ 4, 4, /* PublicKey */ 8, 32,
      /* PresharedKey */ 40, 32, /* PersistentKeepalive */ 72, 2, /* Endpoint */ 76, 28, /* TxBytes */ 104, 8,
      /* RxBytes */ 112, 8, /* LastHandshake */ 120, 8, /* AllowedIPsCount */ 128, 4};
  static final int[] WIREGUARD_ALLOWED_IP = {24, 8, /* Address */ 0, 16, /* AddressFamily */ 16, 2,
      /* Cidr */ 18, 1, /* Flags */ 20, 4};
  /** sizeof, _Alignof of SOCKADDR_INET; SOCKADDR_IN family, port, addr, sizeof; SOCKADDR_IN6 likewise. */
  static final int[] SOCKADDR_INET = {28, 4, /* IN */ 0, 2, 4, 16,
      /* IN6 family, port, flowinfo, addr, scope_id, sizeof */ 0, 2, 4, 8, 24, 28};
  static final int[] NET_LUID = {8, 8};
  /**
   * sizeof, _Alignof, then the offsets of Address, InterfaceLuid, InterfaceIndex, PrefixOrigin,
   * SuffixOrigin, ValidLifetime, PreferredLifetime, OnLinkPrefixLength, SkipAsSource, DadState,
   * ScopeId, CreationTimeStamp.
   */
  static final int[] MIB_UNICASTIPADDRESS_ROW = {80, 8, 0, 32, 40, 44, 48, 52, 56, 60, 61, 64, 68, 72};
  /**
   * sizeof, _Alignof, sizeof(NL_INTERFACE_OFFLOAD_ROD), then the offset of every field of
   * MIB_IPINTERFACE_ROW in declaration order (Family ... DisableDefaultRoutes, as in
   * {@link IpHelperLibrary.MIB_IPINTERFACE_ROW}'s field order).
   */
  static final int[] MIB_IPINTERFACE_ROW = {168, 8, 1, 0, 8, 16, 20, 24, 32, 36, 40, 41, 42, 43, 44, 45, 46,
      47, 48, 52, 56, 60, 64, 68, 72, 76, 80, 144, 148, 152, 156, 157, 158, 159, 160, 164, 165, 166};
  /**
   * AF_INET, AF_INET6, the four WIREGUARD_INTERFACE_* flags, the seven WIREGUARD_PEER_* flags,
   * WIREGUARD_ALLOWED_IP_REMOVE, WIREGUARD_ADAPTER_STATE_DOWN/UP, WIREGUARD_LOG_INFO/WARN/ERR,
   * IpDadStatePreferred, IpPrefixOriginManual, IpSuffixOriginManual.
   */
  static final int[] CONSTANTS = {2, 23, 1, 2, 4, 8, 1, 2, 4, 8, 32, 64, 128, 1, 0, 1, 0, 1, 2, 4, 1, 1};

  /**
   * sizeof of the C types in the function signatures: BOOL, DWORD, DWORD64, WIREGUARD_ADAPTER_STATE,
   * WIREGUARD_ADAPTER_LOG_STATE, WIREGUARD_LOGGER_LEVEL, NET_LUID, GUID, WCHAR,
   * WIREGUARD_ADAPTER_HANDLE, NETIO_STATUS.
   */
  static final int[] SIGNATURE_TYPE_SIZES = {4, 4, 8, 4, 4, 4, 8, 16, 2, 8, 4};

  /** {@code api/exports.def} at the same tag: what wireguard.dll exports. */
  static final java.util.List<String> EXPORTS = java.util.List.of("WireGuardCreateAdapter", "WireGuardOpenAdapter",
      "WireGuardCloseAdapter", "WireGuardGetAdapterLUID", "WireGuardGetAdapterState", "WireGuardGetConfiguration",
      "WireGuardGetRunningDriverVersion", "WireGuardDeleteDriver", "WireGuardSetAdapterLogging",
      "WireGuardSetAdapterState", "WireGuardSetConfiguration", "WireGuardSetLogger");

  /**
   * {@code config.o}, section {@code .wgcfg}, first 472 bytes (the value of section {@code .wgsize};
   * the rest is the section's padding to 32 bytes): the sample below as a C initializer built it.
   */
  static final byte[] SAMPLE_CONFIG_BYTES = HexFormat.of().parseHex(""
      // WIREGUARD_INTERFACE, offset 0
      + "0e0000006cca0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f200000"
      + "00000000000000000000000000000000000000000000000000000000000000000200000000000000"
      // WIREGUARD_PEER #0, offset 80
      + "2f000000000000004142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f60"
      + "8182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0190000000200ca6c"
      + "c0000201000000000000000000000000000000000000000000000000000000000000000000000000"
      + "00000000000000000300000000000000"
      // allowed IP 10.77.0.2/32, offset 216
      + "0a4d00020000000000000000000000000200200000000000"
      // allowed IP 10.77.1.0/24, offset 240
      + "0a4d01000000000000000000000000000200180000000000"
      // allowed IP 2001:db8:77::/48, offset 264
      + "20010db80077000000000000000000001700300000000000"
      // WIREGUARD_PEER #1, offset 288
      + "2d00000000000000c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0"
      + "00000000000000000000000000000000000000000000000000000000000000000f0000001700ca6d"
      + "0000000020010db80000000000000000000000010000000000000000000000000000000000000000"
      + "00000000000000000200000000000000"
      // allowed IP 10.77.0.3/32, offset 424
      + "0a4d00030000000000000000000000000200200000000000"
      // allowed IP fd77::3/128, offset 448
      + "fd7700000000000000000000000000031700800000000000");

  /** The configuration {@code config.c} spells out as a C initializer. */
  static NtInterface sampleConfig() {
    return NtInterface.builder()
        .privateKey(sequenceKey(0x01))
        .listenPort(51820)
        .replacePeers(true)
        .addPeer(NtPeer.builder(sequenceKey(0x41))
            .presharedKey(sequenceKey(0x81))
            .persistentKeepalive(25)
            .endpoint(Endpoint.parse("192.0.2.1:51820"))
            .replaceAllowedIps(true)
            .addAllowedIp(NtAllowedIp.of(IpPrefix.parse("10.77.0.2/32")))
            .addAllowedIp(NtAllowedIp.of(IpPrefix.parse("10.77.1.0/24")))
            .addAllowedIp(NtAllowedIp.of(IpPrefix.parse("2001:db8:77::/48")))
            .build())
        .addPeer(NtPeer.builder(sequenceKey(0xc1))
            .persistentKeepalive(15)
            .endpoint(Endpoint.parse("[2001:db8::1]:51821"))
            .replaceAllowedIps(true)
            .addAllowedIp(NtAllowedIp.of(IpPrefix.parse("10.77.0.3/32")))
            .addAllowedIp(NtAllowedIp.of(IpPrefix.parse("fd77::3/128")))
            .build())
        .build();
  }

  /** The key {@code first, first+1, ..., first+31}, the C program's {@code K(first)}. */
  static Key sequenceKey(int first) {
    byte[] bytes = new byte[32];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (first + i);
    }
    return Key.fromBytes(bytes);
  }
}
