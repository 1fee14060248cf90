package io.partynet.wireguard.jna.internal.discovery;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * The classic BPF program (linux/filter.h, Documentation/networking/filter.rst) attached to the
 * capture socket, so the kernel copies to the JVM only what may be discovery: packets this host
 * sends ({@code PACKET_OUTGOING}, read with the ancillary load {@code SKF_AD_PKTTYPE}) that are
 * IPv4 ({@code SKF_AD_PROTOCOL}), unfragmented UDP to 224.0.0.0 and above (multicast and limited broadcast) or to an address ending in .255
 * (a subnet broadcast of /24 or shorter), and to one of the scope's ports. The JVM checks the
 * exact broadcast addresses afterwards. Offsets are from the IPv4 header (a {@code SOCK_DGRAM}
 * packet socket's filter sees no link header).
 *
 * <p>Stateless; {@link #program} returns an immutable list.
 */
final class DiscoveryFilter {
  static final int LD_B_ABS = 0x30;
  static final int LD_H_ABS = 0x28;
  static final int LD_W_ABS = 0x20;
  static final int LDX_B_MSH = 0xb1;
  static final int LD_H_IND = 0x48;
  static final int JEQ_K = 0x15;
  static final int JGT_K = 0x25;
  static final int JGE_K = 0x35;
  static final int JSET_K = 0x45;
  static final int AND_K = 0x54;
  static final int RET_K = 0x06;
  /** Past this many port ranges the jumps would not fit 8 bits: the program then accepts any port. */
  static final int MAX_RANGES = 100;
  static final int ACCEPT_BYTES = 0xFFFF;
  /** linux/filter.h: SKF_AD_OFF, and the ancillary words at SKF_AD_PROTOCOL (0) and SKF_AD_PKTTYPE (4). */
  static final int AD_PROTOCOL = 0xFFFFF000;
  static final int AD_PKTTYPE = 0xFFFFF004;
  static final int PACKET_OUTGOING = 4;
  static final int ETH_P_IP = 0x0800;

  /** One {@code struct sock_filter}. */
  record Instruction(int code, int jt, int jf, int k) {
    Instruction {
      if (jt < 0 || jt > 255 || jf < 0 || jf > 255) {
        throw new IllegalArgumentException("jump offsets are 8 bits: " + jt + "/" + jf);
      }
    }
  }

  private DiscoveryFilter() {}

  /** The program for {@code ports}. */
  static List<Instruction> program(Collection<Integer> ports) {
    List<int[]> ranges = ranges(ports);
    boolean anyPort = ranges.size() > MAX_RANGES;
    int portChecks = anyPort ? 0 : ranges.stream().mapToInt(r -> r[0] == r[1] ? 1 : 2).sum();
    // layout: 0..3 packet type and protocol, 4..11 address checks, 12..13 load port (when checked), port checks,
    // DROP, ACCEPT
    int portStart = 12;
    int drop = portStart + (anyPort ? 0 : 2 + portChecks);
    int accept = drop + 1;
    List<Instruction> p = new ArrayList<>();
    p.add(new Instruction(LD_W_ABS, 0, 0, AD_PKTTYPE));
    p.add(new Instruction(JEQ_K, 0, jump(1, drop), PACKET_OUTGOING));
    p.add(new Instruction(LD_W_ABS, 0, 0, AD_PROTOCOL));
    p.add(new Instruction(JEQ_K, 0, jump(3, drop), ETH_P_IP));
    p.add(new Instruction(LD_B_ABS, 0, 0, 9));
    p.add(new Instruction(JEQ_K, 0, jump(5, drop), 17));
    p.add(new Instruction(LD_H_ABS, 0, 0, 6));
    p.add(new Instruction(JSET_K, jump(7, drop), 0, 0x1FFF));
    p.add(new Instruction(LD_W_ABS, 0, 0, 16));
    p.add(new Instruction(JGE_K, jump(9, anyPort ? accept : portStart), 0, 0xE0000000));
    p.add(new Instruction(AND_K, 0, 0, 0xFF));
    p.add(new Instruction(JEQ_K, jump(11, anyPort ? accept : portStart), jump(11, drop), 0xFF));
    if (!anyPort) {
      p.add(new Instruction(LDX_B_MSH, 0, 0, 0));
      p.add(new Instruction(LD_H_IND, 0, 0, 2));
      for (int[] r : ranges) {
        int at = p.size();
        if (r[0] == r[1]) {
          p.add(new Instruction(JEQ_K, jump(at, accept), 0, r[0]));
        } else {
          p.add(new Instruction(JGE_K, 0, 1, r[0]));
          p.add(new Instruction(JGT_K, 0, jump(at + 1, accept), r[1]));
        }
      }
    }
    p.add(new Instruction(RET_K, 0, 0, 0));
    p.add(new Instruction(RET_K, 0, 0, ACCEPT_BYTES));
    return List.copyOf(p);
  }

  /** The program as the kernel's array of {@code struct sock_filter}, in native byte order. */
  static byte[] encode(List<Instruction> program) {
    ByteBuffer out = ByteBuffer.allocate(program.size() * 8).order(ByteOrder.nativeOrder());
    for (Instruction i : program) {
      out.putShort((short) i.code()).put((byte) i.jt()).put((byte) i.jf()).putInt(i.k());
    }
    return out.array();
  }

  /** Sorted, merged inclusive ranges of {@code ports}. */
  static List<int[]> ranges(Collection<Integer> ports) {
    List<int[]> ranges = new ArrayList<>();
    for (int port : new TreeSet<>(ports)) {
      int[] last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
      if (last != null && port == last[1] + 1) {
        last[1] = port;
      } else {
        ranges.add(new int[] {port, port});
      }
    }
    return ranges;
  }

  private static int jump(int from, int to) {
    return to - from - 1;
  }
}
