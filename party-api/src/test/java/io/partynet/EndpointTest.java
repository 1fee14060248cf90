package io.partynet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
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
    Rfc5952.assertCanonical(address, text);
    assertEquals(endpoint, Endpoint.parse(endpoint.toString()));
  }

  @Provide
  Arbitrary<byte[]> sparseIpv6() {
    return Rfc5952.sparseIpv6();
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

  @Test
  void textTheJdkWouldResolveAsANameIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> Endpoint.parse("[.1:2]:80"));
    assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse(".1:2/8"));
  }
}
