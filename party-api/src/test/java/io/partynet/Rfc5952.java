package io.partynet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * The RFC 5952 section 4 rules, checked from their statement rather than by a second formatter,
 * for the tests of {@link Endpoint} and {@link IpPrefix}, which write IPv6 through the same code.
 */
final class Rfc5952 {
  private Rfc5952() {}

  /**
   * IPv6 addresses with many zero groups, so that runs of zeros of every length and place occur;
   * not IPv4-mapped ones ({@code ::ffff:a.b.c.d}), which the JDK and so the API take as IPv4.
   */
  static Arbitrary<byte[]> sparseIpv6() {
    return Arbitraries.integers().between(0, 0xffff).injectNull(0.6).list().ofSize(8)
        .filter(groups -> !(groups.subList(0, 5).stream().allMatch(g -> g == null || g == 0)
            && Integer.valueOf(0xffff).equals(groups.get(5))))
        .map(groups -> {
          byte[] address = new byte[16];
          for (int i = 0; i < 8; i++) {
            int group = groups.get(i) == null ? 0 : groups.get(i);
            address[2 * i] = (byte) (group >> 8);
            address[2 * i + 1] = (byte) group;
          }
          return address;
        });
  }

  /**
   * Asserts that {@code text} is {@code address} written as RFC 5952 section 4 says: lower case,
   * no leading zeros, the longest run of two or more zero groups (the first of equal ones) as
   * {@code ::}, a single zero group as {@code 0}.
   */
  static void assertCanonical(byte[] address, String text) {
    String[] sides = text.split("::", -1);
    assertTrue(sides.length <= 2, "at most one :: in " + text);
    List<String> head = sides[0].isEmpty() ? List.of() : List.of(sides[0].split(":"));
    List<String> tail = sides.length == 1 || sides[1].isEmpty() ? List.of() : List.of(sides[1].split(":"));
    int elided = sides.length == 2 ? 8 - head.size() - tail.size() : 0;
    List<String> groups = new ArrayList<>(head);
    groups.addAll(Collections.nCopies(elided, "0"));
    groups.addAll(tail);
    assertEquals(8, groups.size(), text);
    for (int i = 0; i < 8; i++) {
      String group = groups.get(i);
      assertTrue(group.matches("0|[1-9a-f][0-9a-f]{0,3}"), "lower case, no leading zeros: " + text);
      assertEquals((address[2 * i] & 0xff) << 8 | address[2 * i + 1] & 0xff, Integer.parseInt(group, 16), text);
    }
    int longest = 0;
    int longestStart = -1;
    for (int i = 0, run = 0; i < 8; i++) {
      run = groups.get(i).equals("0") ? run + 1 : 0;
      if (run > longest) {
        longest = run;
        longestStart = i - run + 1;
      }
    }
    if (longest >= 2) {
      assertEquals(2, sides.length, "a run of zero groups is elided: " + text);
      assertEquals(longest, elided, "the longest run: " + text);
      assertEquals(longestStart, head.size(), "the first of the longest runs: " + text);
    } else {
      assertEquals(1, sides.length, "a single zero group is written 0: " + text);
    }
  }
}
