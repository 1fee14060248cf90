package io.partynet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointTest {

  @Property
  void ipv4EndpointsRoundTrip(@ForAll @Size(4) byte[] address, @ForAll @IntRange(min = 1, max = 65535) int port)
      throws Exception {
    String host = InetAddress.getByAddress(address).getHostAddress();
    Endpoint endpoint = new Endpoint(host, port);
    assertEquals(host + ":" + port, endpoint.toString());
    assertEquals(endpoint, Endpoint.parse(endpoint.toString()));
    assertEquals(new InetSocketAddress(InetAddress.getByAddress(address), port), endpoint.toSocketAddress());
    assertEquals(endpoint, Endpoint.of(endpoint.toSocketAddress()));
  }

  @Property
  void ipv6EndpointsRoundTrip(@ForAll @Size(16) byte[] address, @ForAll @IntRange(min = 1, max = 65535) int port)
      throws Exception {
    InetAddress inet = InetAddress.getByAddress(address);
    Endpoint endpoint = Endpoint.of(new InetSocketAddress(inet, port));
    assertEquals(endpoint, Endpoint.parse(endpoint.toString()));
    assertEquals(inet, endpoint.toSocketAddress().getAddress());
  }

  /** RFC 5952 section 4: the one text form, whichever form the address was given in. */
  @ParameterizedTest
  @CsvSource({
      "2001:DB8:0:0:0:0:0:1, 2001:db8::1",
      "2001:db8:6:0:0:0:0:2, 2001:db8:6::2",
      "2001:0db8:0000:0000:0000:ff00:0042:8329, 2001:db8::ff00:42:8329",
      "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
      "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
      "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
      "0:0:0:0:0:0:0:0, ::",
      "0:0:0:0:0:0:0:1, ::1",
      "1:0:0:0:0:0:0:0, 1::",
      "fe80:0:0:0:0:0:0:1, fe80::1",
      "1:2:3:4:5:6:7:0, 1:2:3:4:5:6:7:0"})
  void ipv6IsWrittenInTheRfc5952Form(String given, String written) {
    Endpoint endpoint = Endpoint.parse("[" + given + "]:51820");
    assertEquals(written, endpoint.host());
    assertEquals("[" + written + "]:51820", endpoint.toString());
    assertEquals(endpoint, Endpoint.parse(endpoint.toString()));
  }

  @Property(tries = 3000)
  void ipv6TextFollowsRfc5952(@ForAll("sparseIpv6") byte[] address, @ForAll @IntRange(min = 1, max = 65535) int port)
      throws Exception {
    Endpoint endpoint = Endpoint.of(new InetSocketAddress(InetAddress.getByAddress(address), port));
    String text = endpoint.host();
    assertEquals("[" + text + "]:" + port, endpoint.toString());
    String[] sides = text.split("::", -1);
    assertTrue(sides.length <= 2, "at most one :: in " + text);
    List<String> head = sides[0].isEmpty() ? List.of() : List.of(sides[0].split(":"));
    List<String> tail = sides.length == 1 || sides[1].isEmpty() ? List.of() : List.of(sides[1].split(":"));
    int elided = sides.length == 2 ? 8 - head.size() - tail.size() : 0;
    List<String> groups = new ArrayList<>(head);
    groups.addAll(java.util.Collections.nCopies(elided, "0"));
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
    assertEquals(endpoint, Endpoint.parse(endpoint.toString()));
  }

  /**
   * IPv6 addresses with many zero groups, so that runs of zeros of every length and place occur;
   * not IPv4-mapped ones ({@code ::ffff:a.b.c.d}), which the JDK and so {@link Endpoint} take as IPv4.
   */
  @Provide
  Arbitrary<byte[]> sparseIpv6() {
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

  @Test
  void ipv6IsWrittenInBracketsAndCanonicalised() {
    Endpoint endpoint = Endpoint.parse(" [2001:DB8:0::1]:51820 ");
    assertTrue(endpoint.isIpv6());
    assertEquals(Endpoint.parse("[2001:db8:0:0:0:0:0:1]:51820"), endpoint);
    assertEquals(51820, endpoint.port());
    assertTrue(endpoint.toString().startsWith("[") && endpoint.toString().endsWith("]:51820"), endpoint.toString());
    assertFalse(Endpoint.parse("192.0.2.1:3478").isIpv6());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "192.0.2.1", "192.0.2.1:", ":80", "192.0.2.1:0", "192.0.2.1:65536", "192.0.2.1:-1",
      "192.0.2.1:http", "192.0.2.256:80", "192.0.2:80", "01.2.3.4:80", "localhost:80", "example.com:3478",
      "2001:db8::1:80", "[2001:db8::1]", "[2001:db8::1]80", "[2001:db8::1%eth0]:80", "[zz::1]:80",
      "192.0.2.1:99999999999", "1.2.3.4:5:6", "[::1]:80:90"})
  void malformedEndpointsAreRejected(String text) {
    assertThrows(IllegalArgumentException.class, () -> Endpoint.parse(text));
  }

  @Test
  void overlongInputIsRejectedBeforeParsing() {
    assertThrows(IllegalArgumentException.class, () -> Endpoint.parse("1".repeat(65) + ":80"));
    assertThrows(NullPointerException.class, () -> Endpoint.parse(null));
  }

  @Property
  void arbitraryTextParsesToARoundTrippingEndpointOrFailsWithIllegalArgument(@ForAll("endpointish") String text) {
    Endpoint endpoint;
    try {
      endpoint = Endpoint.parse(text);
    } catch (IllegalArgumentException expected) {
      return;
    }
    assertEquals(endpoint, Endpoint.parse(endpoint.toString()));
  }

  /**
   * Text made of the characters endpoints use, including hosts like ".1:2" that the JDK would
   * resolve as names: validation must refuse them before any lookup.
   */
  @Provide
  Arbitrary<String> endpointish() {
    return Arbitraries.strings().withChars("0123456789abcdefABCDEF:.[]% -").ofMaxLength(48);
  }

  @org.junit.jupiter.api.Test
  void textTheJdkWouldResolveAsANameIsRefused() {
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Endpoint.parse("[.1:2]:80"));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse(".1:2/8"));
  }
}
