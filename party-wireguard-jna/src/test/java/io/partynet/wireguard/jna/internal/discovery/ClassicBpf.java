package io.partynet.wireguard.jna.internal.discovery;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A reference interpreter for the classic BPF instructions {@link DiscoveryFilter} uses, written
 * from Documentation/networking/filter.rst: loads out of bounds end the program with 0 (drop), as
 * the kernel's do; ancillary loads give the packet type and protocol.
 */
final class ClassicBpf {
  private ClassicBpf() {}

  /** The program's return value for {@code packet} (starting at the IPv4 header). */
  static int run(List<DiscoveryFilter.Instruction> program, byte[] packet, int packetType, int protocol) {
    ByteBuffer p = ByteBuffer.wrap(packet);
    long a = 0;
    long x = 0;
    int pc = 0;
    for (int steps = 0; steps < 10_000; steps++) {
      DiscoveryFilter.Instruction i = program.get(pc);
      int k = i.k();
      switch (i.code()) {
        case DiscoveryFilter.LD_W_ABS -> {
          if (k == DiscoveryFilter.AD_PKTTYPE) {
            a = packetType;
          } else if (k == DiscoveryFilter.AD_PROTOCOL) {
            a = protocol;
          } else if (k < 0 || k + 4 > packet.length) {
            return 0;
          } else {
            a = p.getInt(k) & 0xFFFFFFFFL;
          }
        }
        case DiscoveryFilter.LD_H_ABS -> {
          if (k < 0 || k + 2 > packet.length) {
            return 0;
          }
          a = p.getShort(k) & 0xFFFF;
        }
        case DiscoveryFilter.LD_B_ABS -> {
          if (k < 0 || k + 1 > packet.length) {
            return 0;
          }
          a = p.get(k) & 0xFF;
        }
        case DiscoveryFilter.LDX_B_MSH -> {
          if (k + 1 > packet.length) {
            return 0;
          }
          x = 4L * (p.get(k) & 0x0F);
        }
        case DiscoveryFilter.LD_H_IND -> {
          long at = x + k;
          if (at + 2 > packet.length) {
            return 0;
          }
          a = p.getShort((int) at) & 0xFFFF;
        }
        case DiscoveryFilter.AND_K -> a &= k & 0xFFFFFFFFL;
        case DiscoveryFilter.JEQ_K -> pc += a == (k & 0xFFFFFFFFL) ? i.jt() : i.jf();
        case DiscoveryFilter.JGT_K -> pc += a > (k & 0xFFFFFFFFL) ? i.jt() : i.jf();
        case DiscoveryFilter.JGE_K -> pc += a >= (k & 0xFFFFFFFFL) ? i.jt() : i.jf();
        case DiscoveryFilter.JSET_K -> pc += (a & k & 0xFFFFFFFFL) != 0 ? i.jt() : i.jf();
        case DiscoveryFilter.RET_K -> {
          return k;
        }
        default -> throw new IllegalStateException("unknown instruction " + i);
      }
      pc++;
    }
    throw new IllegalStateException("the program does not end");
  }
}
