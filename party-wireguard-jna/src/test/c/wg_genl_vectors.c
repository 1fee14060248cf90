/*
 * Derives the reference byte sequences used by WgMessagesTest from the kernel's own UAPI headers
 * (linux/netlink.h, linux/genetlink.h, linux/wireguard.h): struct layouts and every constant come
 * from those headers, not from the Java code under test. Messages are assembled the way the
 * kernel's nla_put/nla_nest_start do it (4-byte alignment, NLA_F_NESTED on nests).
 *
 *   gcc -O0 -Wall -o /tmp/wgv wg_genl_vectors.c && /tmp/wgv
 *
 * Prints one line per vector: NAME HEX. Output is host byte order (x86-64: little endian).
 */
#include <arpa/inet.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/time_types.h>
#include <linux/wireguard.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define FAMILY_ID 0x15 /* any id: real ids are assigned at module load */

static uint8_t buf[4096];
static size_t len;

static void *reserve(size_t n) {
  void *p = buf + len;
  memset(p, 0, NLA_ALIGN(n));
  len += NLA_ALIGN(n);
  return p;
}

static size_t msg_start(uint16_t type, uint16_t flags, uint8_t cmd) {
  size_t at = len;
  struct nlmsghdr *h = reserve(sizeof(*h));
  h->nlmsg_type = type;
  h->nlmsg_flags = flags;
  struct genlmsghdr *g = reserve(sizeof(*g));
  g->cmd = cmd;
  g->version = WG_GENL_VERSION;
  return at;
}

static void msg_end(size_t at) { ((struct nlmsghdr *)(buf + at))->nlmsg_len = (uint32_t)(len - at); }

static void put(uint16_t type, const void *data, size_t n) {
  struct nlattr *a = reserve(NLA_HDRLEN + n);
  a->nla_len = (uint16_t)(NLA_HDRLEN + n);
  a->nla_type = type;
  memcpy((uint8_t *)a + NLA_HDRLEN, data, n);
}

static void put_u8(uint16_t t, uint8_t v) { put(t, &v, 1); }
static void put_u16(uint16_t t, uint16_t v) { put(t, &v, 2); }
static void put_u32(uint16_t t, uint32_t v) { put(t, &v, 4); }
static void put_u64(uint16_t t, uint64_t v) { put(t, &v, 8); }
static void put_str(uint16_t t, const char *s) { put(t, s, strlen(s) + 1); }

static size_t nest(uint16_t type) {
  size_t at = len;
  struct nlattr *a = reserve(NLA_HDRLEN);
  a->nla_type = type | NLA_F_NESTED;
  return at;
}

static void nest_end(size_t at) { ((struct nlattr *)(buf + at))->nla_len = (uint16_t)(len - at); }

static void key(uint8_t *k, uint8_t first) {
  for (int i = 0; i < WG_KEY_LEN; i++) k[i] = (uint8_t)(first + i);
}

static void allowed_ip4(uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint8_t cidr, int kernel_order) {
  size_t n = nest(0);
  uint8_t addr[4] = {a, b, c, d};
  if (kernel_order) { /* net/wireguard/netlink.c get_allowedips(): mask, address, family */
    put_u8(WGALLOWEDIP_A_CIDR_MASK, cidr);
    put(WGALLOWEDIP_A_IPADDR, addr, 4);
    put_u16(WGALLOWEDIP_A_FAMILY, AF_INET);
  } else { /* wireguard-tools' order: family, address, mask */
    put_u16(WGALLOWEDIP_A_FAMILY, AF_INET);
    put(WGALLOWEDIP_A_IPADDR, addr, 4);
    put_u8(WGALLOWEDIP_A_CIDR_MASK, cidr);
  }
  nest_end(n);
}

static void dump(const char *name) {
  printf("%s ", name);
  for (size_t i = 0; i < len; i++) printf("%02x", buf[i]);
  printf("\n");
  len = 0;
}

int main(void) {
  uint8_t k[WG_KEY_LEN];

  /* GET_DEVICE request for wg0. */
  size_t m = msg_start(FAMILY_ID, NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP, WG_CMD_GET_DEVICE);
  put_str(WGDEVICE_A_IFNAME, "wg0");
  msg_end(m);
  dump("GET_WG0");

  /* SET_DEVICE: key 01..20, port 51820, replace peers; one peer: key 21..40, replace allowed IPs,
     preshared key 41..60, endpoint 192.0.2.1:51820, keepalive 25, allowed 10.0.0.0/24. */
  m = msg_start(FAMILY_ID, NLM_F_REQUEST | NLM_F_ACK, WG_CMD_SET_DEVICE);
  put_str(WGDEVICE_A_IFNAME, "wg0");
  key(k, 0x01);
  put(WGDEVICE_A_PRIVATE_KEY, k, WG_KEY_LEN);
  put_u16(WGDEVICE_A_LISTEN_PORT, 51820);
  put_u32(WGDEVICE_A_FLAGS, WGDEVICE_F_REPLACE_PEERS);
  size_t peers = nest(WGDEVICE_A_PEERS);
  size_t peer = nest(0);
  key(k, 0x21);
  put(WGPEER_A_PUBLIC_KEY, k, WG_KEY_LEN);
  put_u32(WGPEER_A_FLAGS, WGPEER_F_REPLACE_ALLOWEDIPS);
  key(k, 0x41);
  put(WGPEER_A_PRESHARED_KEY, k, WG_KEY_LEN);
  struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(51820)};
  inet_pton(AF_INET, "192.0.2.1", &sin.sin_addr);
  put(WGPEER_A_ENDPOINT, &sin, sizeof(sin));
  put_u16(WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL, 25);
  size_t ips = nest(WGPEER_A_ALLOWEDIPS);
  allowed_ip4(10, 0, 0, 0, 24, 0);
  nest_end(ips);
  nest_end(peer);
  nest_end(peers);
  msg_end(m);
  dump("SET_SMALL");

  /* A GET_DEVICE dump as net/wireguard/netlink.c writes it, in two parts plus NLMSG_DONE:
     part 1: port 51820, fwmark 0, ifindex 7, name wg0, private key 01..20, public key 81..a0,
     peer A (key 21..40, no preshared key, handshake 1700000000.5, keepalive 25, tx 1000, rx 2000,
     protocol 1, endpoint [2001:db8::1]:51821, allowed 10.0.0.2/32 and 10.0.1.0/24 (with the
     zero-length WGPEER_A_UNSPEC pad that nla_put_u64_64bit adds where 8-byte alignment matters),
     and peer B (key c1..e0, no handshake, no endpoint) with allowed 10.0.2.0/24;
     part 2: peer B continued (public key and allowed IPs only) with 10.0.3.0/24. */
  m = msg_start(FAMILY_ID, NLM_F_MULTI, WG_CMD_GET_DEVICE);
  put_u16(WGDEVICE_A_LISTEN_PORT, 51820);
  put_u32(WGDEVICE_A_FWMARK, 0);
  put_u32(WGDEVICE_A_IFINDEX, 7);
  put_str(WGDEVICE_A_IFNAME, "wg0");
  key(k, 0x01);
  put(WGDEVICE_A_PRIVATE_KEY, k, WG_KEY_LEN);
  key(k, 0x81);
  put(WGDEVICE_A_PUBLIC_KEY, k, WG_KEY_LEN);
  peers = nest(WGDEVICE_A_PEERS);
  peer = nest(0);
  key(k, 0x21);
  put(WGPEER_A_PUBLIC_KEY, k, WG_KEY_LEN);
  memset(k, 0, WG_KEY_LEN);
  put(WGPEER_A_PRESHARED_KEY, k, WG_KEY_LEN);
  struct __kernel_timespec ts = {.tv_sec = 1700000000, .tv_nsec = 500000000};
  put(WGPEER_A_LAST_HANDSHAKE_TIME, &ts, sizeof(ts));
  put_u16(WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL, 25);
  put(WGPEER_A_UNSPEC, NULL, 0);
  put_u64(WGPEER_A_TX_BYTES, 1000);
  put_u64(WGPEER_A_RX_BYTES, 2000);
  put_u32(WGPEER_A_PROTOCOL_VERSION, 1);
  struct sockaddr_in6 sin6 = {.sin6_family = AF_INET6, .sin6_port = htons(51821)};
  inet_pton(AF_INET6, "2001:db8::1", &sin6.sin6_addr);
  put(WGPEER_A_ENDPOINT, &sin6, sizeof(sin6));
  ips = nest(WGPEER_A_ALLOWEDIPS);
  allowed_ip4(10, 0, 0, 2, 32, 1);
  allowed_ip4(10, 0, 1, 0, 24, 1);
  nest_end(ips);
  nest_end(peer);
  peer = nest(0);
  key(k, 0xc1);
  put(WGPEER_A_PUBLIC_KEY, k, WG_KEY_LEN);
  memset(k, 0, WG_KEY_LEN);
  put(WGPEER_A_PRESHARED_KEY, k, WG_KEY_LEN);
  struct __kernel_timespec never = {0, 0};
  put(WGPEER_A_LAST_HANDSHAKE_TIME, &never, sizeof(never));
  put_u16(WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL, 0);
  put_u64(WGPEER_A_TX_BYTES, 0);
  put_u64(WGPEER_A_RX_BYTES, 0);
  put_u32(WGPEER_A_PROTOCOL_VERSION, 1);
  ips = nest(WGPEER_A_ALLOWEDIPS);
  allowed_ip4(10, 0, 2, 0, 24, 1);
  nest_end(ips);
  nest_end(peer);
  nest_end(peers);
  msg_end(m);
  m = msg_start(FAMILY_ID, NLM_F_MULTI, WG_CMD_GET_DEVICE);
  put_str(WGDEVICE_A_IFNAME, "wg0");
  peers = nest(WGDEVICE_A_PEERS);
  peer = nest(0);
  key(k, 0xc1);
  put(WGPEER_A_PUBLIC_KEY, k, WG_KEY_LEN);
  ips = nest(WGPEER_A_ALLOWEDIPS);
  allowed_ip4(10, 0, 3, 0, 24, 1);
  nest_end(ips);
  nest_end(peer);
  nest_end(peers);
  msg_end(m);
  struct nlmsghdr *done = reserve(sizeof(*done) + 4);
  done->nlmsg_len = sizeof(*done) + 4;
  done->nlmsg_type = NLMSG_DONE;
  done->nlmsg_flags = NLM_F_MULTI;
  dump("GET_DUMP_TWO_PARTS");
  return 0;
}
