#!/usr/bin/env python3
"""A delay line for the lab (the test kernel has no netem): binds one NFQUEUE through the
nfnetlink_queue netlink protocol, holds every packet it receives for DELAY_MS milliseconds, then
accepts it, in arrival order. Only packet metadata is copied to user space, never payloads.

Usage: nfqueue_delay.py QUEUE_NUM DELAY_MS   (as root, inside the namespace whose iptables queue)
Prints "holding queue N for D ms" once bound; exits on SIGTERM. Rules should use --queue-bypass so
that packets pass unheld if this program is gone.
"""
import collections
import select
import signal
import socket
import struct
import sys
import time

NETLINK_NETFILTER = 12
NLMSG_ERROR = 2
NLM_F_REQUEST = 1
NLM_F_ACK = 4
NFNL_SUBSYS_QUEUE = 3
NFQNL_MSG_PACKET = 0
NFQNL_MSG_VERDICT = 1
NFQNL_MSG_CONFIG = 2
NFQA_PACKET_HDR = 1
NFQA_VERDICT_HDR = 2
NFQA_CFG_CMD = 1
NFQA_CFG_PARAMS = 2
NFQNL_CFG_CMD_BIND = 1
NFQNL_COPY_META = 1
NF_ACCEPT = 1


def attribute(kind, payload):
    length = 4 + len(payload)
    return struct.pack("=HH", length, kind) + payload + b"\0" * ((4 - length % 4) % 4)


def message(kind, queue, attributes, flags=NLM_F_REQUEST, seq=0):
    # nfgenmsg: family, version (NFNETLINK_V0), resource id (the queue number, big-endian)
    body = struct.pack("=BB", socket.AF_UNSPEC, 0) + struct.pack(">H", queue) + b"".join(attributes)
    header = struct.pack("=IHHII", 16 + len(body), (NFNL_SUBSYS_QUEUE << 8) | kind, flags, seq, 0)
    return header + body


def messages(data):
    """(type, payload after the netlink header) for each netlink message in one datagram."""
    offset = 0
    while offset + 16 <= len(data):
        length, kind, _flags, _seq, _pid = struct.unpack_from("=IHHII", data, offset)
        if length < 16 or offset + length > len(data):
            return
        yield kind, data[offset + 16:offset + length]
        offset += (length + 3) & ~3


def packet_id(payload):
    """The id in NFQA_PACKET_HDR of a NFQNL_MSG_PACKET payload (after its 4-byte nfgenmsg)."""
    offset = 4
    while offset + 4 <= len(payload):
        length, kind = struct.unpack_from("=HH", payload, offset)
        if length < 4:
            return None
        if kind & 0x7FFF == NFQA_PACKET_HDR:
            return struct.unpack_from(">I", payload, offset + 4)[0]
        offset += (length + 3) & ~3
    return None


def configure(sock, queue):
    """Binds the queue and asks for metadata only; fails loudly on the kernel's error."""
    command = attribute(NFQA_CFG_CMD, struct.pack(">BBH", NFQNL_CFG_CMD_BIND, 0, socket.AF_INET))
    params = attribute(NFQA_CFG_PARAMS, struct.pack(">IB", 0, NFQNL_COPY_META))
    for seq, attrs in ((1, [command]), (2, [params])):
        sock.send(message(NFQNL_MSG_CONFIG, queue, attrs, NLM_F_REQUEST | NLM_F_ACK, seq))
        for kind, payload in messages(sock.recv(65536)):
            if kind == NLMSG_ERROR:
                error = struct.unpack_from("=i", payload, 0)[0]
                if error != 0:
                    sys.exit("nfqueue_delay: configuring queue %d failed: errno %d" % (queue, -error))


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: nfqueue_delay.py QUEUE_NUM DELAY_MS")
    queue, delay = int(sys.argv[1]), int(sys.argv[2]) / 1000.0
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    sock.bind((0, 0))
    configure(sock, queue)
    print("holding queue %d for %d ms" % (queue, int(delay * 1000)), flush=True)
    held = collections.deque()  # (release time, packet id), in arrival order
    while True:
        timeout = max(0.0, held[0][0] - time.monotonic()) if held else None
        readable, _, _ = select.select([sock], [], [], timeout)
        if readable:
            for kind, payload in messages(sock.recv(65536)):
                if kind == (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET:
                    ident = packet_id(payload)
                    if ident is not None:
                        held.append((time.monotonic() + delay, ident))
        now = time.monotonic()
        while held and held[0][0] <= now:
            _, ident = held.popleft()
            verdict = attribute(NFQA_VERDICT_HDR, struct.pack(">II", NF_ACCEPT, ident))
            sock.send(message(NFQNL_MSG_VERDICT, queue, [verdict]))


if __name__ == "__main__":
    main()
