package io.partynet.wireguard.jna.internal.netlink;

/**
 * Reference byte sequences of the WireGuard generic netlink family. {@link #GET_WG0} is
 * annotated field by field from include/uapi/linux/wireguard.h and linux/netlink.h by hand; the
 * longer ones were printed by src/test/c/wg_genl_vectors.c, which builds them with the kernel's
 * own UAPI headers (struct nlmsghdr, struct genlmsghdr, struct nlattr, the WG* enums) and the
 * kernel's attribute order from net/wireguard/netlink.c. Host byte order is little endian (x86-64).
 */
final class WgVectors {
  private WgVectors() {}

  /** WG_CMD_GET_DEVICE dump request for "wg0", family id 0x15, sequence 0. */
  static final String GET_WG0 =
      "1c000000"   // nlmsghdr.nlmsg_len = 28
      + "1500"     // nlmsg_type = family id 0x15
      + "0503"     // nlmsg_flags = NLM_F_REQUEST(1) | NLM_F_ACK(4) | NLM_F_DUMP(0x300)
      + "00000000" // nlmsg_seq (the socket fills it in)
      + "00000000" // nlmsg_pid = 0 (to the kernel)
      + "00"       // genlmsghdr.cmd = WG_CMD_GET_DEVICE (0)
      + "01"       // genlmsghdr.version = WG_GENL_VERSION (1)
      + "0000"     // genlmsghdr.reserved
      + "0800"     // nla_len = 8: header 4 + "wg0\0"
      + "0200"     // nla_type = WGDEVICE_A_IFNAME (2)
      + "77673000"; // "wg0" NUL-terminated

  /**
   * WG_CMD_SET_DEVICE for wg0: private key 01..20, listen port 51820, WGDEVICE_F_REPLACE_PEERS; one
   * peer with public key 21..40, WGPEER_F_REPLACE_ALLOWEDIPS, preshared key 41..60, endpoint
   * 192.0.2.1:51820 (sockaddr_in, port in network order), keepalive 25, allowed IP 10.0.0.0/24.
   * Nested attributes carry NLA_F_NESTED (0x8000): WGDEVICE_A_PEERS is type 0x8008, each peer 0x8000,
   * WGPEER_A_ALLOWEDIPS 0x8009, each allowed IP 0x8000. Output of wg_genl_vectors.c, "SET_SMALL".
   */
  static final String SET_SMALL =
      "e400000015000500000000000000000001010000080002007767300024000300" +
      "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20" +
      "060006006cca0000080005000100000094000880900000802400010021222324" +
      "25262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f4008000300" +
      "02000000240002004142434445464748494a4b4c4d4e4f505152535455565758" +
      "595a5b5c5d5e5f60140004000200ca6cc0000201000000000000000006000500" +
      "19000000200009801c0000800600010002000000080002000a00000005000300" +
      "18000000";

  /**
   * A WG_CMD_GET_DEVICE dump in the kernel's attribute order: two parts and NLMSG_DONE. Part 1:
   * listen port 51820, fwmark 0, ifindex 7, "wg0", private key 01..20, public key 81..a0; peer A
   * (key 21..40, zero preshared key, handshake 1700000000.5 s, keepalive 25, a zero-length
   * WGPEER_A_UNSPEC pad, tx 1000, rx 2000, protocol 1, endpoint [2001:db8::1]:51821, allowed
   * 10.0.0.2/32 and 10.0.1.0/24 written mask/address/family); peer B (key c1..e0, no handshake, no
   * endpoint, allowed 10.0.2.0/24). Part 2: "wg0" and peer B again with only its public key and
   * 10.0.3.0/24, which the reader must join to the first part. Output "GET_DUMP_TWO_PARTS".
   */
  static final String GET_DUMP_TWO_PARTS =
      "1002000015000200000000000000000000010000060006006cca000008000700" +
      "0000000008000100070000000800020077673000240003000102030405060708" +
      "090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202400040081828384" +
      "85868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa094010880" +
      "e8000080240001002122232425262728292a2b2c2d2e2f303132333435363738" +
      "393a3b3c3d3e3f40240002000000000000000000000000000000000000000000" +
      "0000000000000000000000001400060000f15365000000000065cd1d00000000" +
      "0600050019000000040000000c000800e8030000000000000c000700d0070000" +
      "0000000008000a0001000000200004000a00ca6d0000000020010db800000000" +
      "0000000000000001000000003c0009801c000080050003002000000008000200" +
      "0a00000206000100020000001c0000800500030018000000080002000a000100" +
      "0600010002000000a800008024000100c1c2c3c4c5c6c7c8c9cacbcccdcecfd0" +
      "d1d2d3d4d5d6d7d8d9dadbdcdddedfe024000200000000000000000000000000" +
      "0000000000000000000000000000000000000000140006000000000000000000" +
      "000000000000000006000500000000000c00080000000000000000000c000700" +
      "000000000000000008000a0001000000200009801c0000800500030018000000" +
      "080002000a000200060001000200000068000000150002000000000000000000" +
      "0001000008000200776730004c0008804800008024000100c1c2c3c4c5c6c7c8" +
      "c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0200009801c000080" +
      "0500030018000000080002000a00030006000100020000001400000003000200" +
      "000000000000000000000000";
}
