package io.partynet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Locale;
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

class IpPrefixTest {

  @Property
  void ipv4PrefixesRoundTripAndContainTheirNetwork(@ForAll @Size(4) byte[] address,
      @ForAll @IntRange(min = 0, max = 32) int length) throws Exception {
    IpPrefix prefix = new IpPrefix(InetAddress.getByAddress(address).getHostAddress(), length);
    assertEquals(prefix, IpPrefix.parse(prefix.toString()));
    IpPrefix network = prefix.network();
    assertEquals(network, network.network(), "masking is idempotent");
    assertTrue(network.contains(prefix.address()), prefix + " outside its network " + network);
    assertTrue(prefix.contains(network.address()));
    assertTrue(prefix.isIpv4());
  }

  @Property
  void ipv6PrefixesRoundTrip(@ForAll @Size(16) byte[] address, @ForAll @IntRange(min = 0, max = 128) int length)
      throws Exception {
    String literal = InetAddress.getByAddress(address).getHostAddress();
    // The JDK turns IPv4-mapped addresses into IPv4 ones; only genuine IPv6 literals are used here.
    if (literal.indexOf(':') < 0) {
      return;
    }
    IpPrefix prefix = new IpPrefix(literal, length);
    assertEquals(prefix, IpPrefix.parse(prefix.toString()));
    assertTrue(prefix.network().contains(literal));
    assertFalse(prefix.isIpv4());
  }

  /** RFC 5952 section 4: the one text form, whichever form the address was given in. */
  @ParameterizedTest
  @CsvSource({
      "fd00:0:0:0:0:0:0:0/64, fd00::/64",
      "FD12:3456:789A:0001:0000:0000:0000:0000/64, fd12:3456:789a:1::/64",
      "2001:0db8:0000:0000:0000:ff00:0042:8329/128, 2001:db8::ff00:42:8329/128",
      "2001:db8:0:1:1:1:1:1/128, 2001:db8:0:1:1:1:1:1/128",
      "2001:0:0:1:0:0:0:1/128, 2001:0:0:1::1/128",
      "2001:db8:0:0:1:0:0:1/128, 2001:db8::1:0:0:1/128",
      "0:0:0:0:0:0:0:0/0, ::/0",
      "0:0:0:0:0:0:0:1/128, ::1/128",
      "1:2:3:4:5:6:7:0/127, 1:2:3:4:5:6:7:0/127",
      "fd00::1, fd00::1/128",
      "10.77.0.0/16, 10.77.0.0/16"})
  void ipv6IsWrittenInTheRfc5952Form(String given, String written) {
    IpPrefix prefix = IpPrefix.parse(given);
    assertEquals(written, prefix.toString());
    assertEquals(written.substring(0, written.indexOf('/')), prefix.address());
    assertEquals(prefix, IpPrefix.parse(written));
  }

  /**
   * Format and parse round-trip, the written form is a fixpoint, and the uncompressed text earlier
   * versions wrote (and stored in settings, state files and on the wire) still reads as the same
   * prefix.
   */
  @Property(tries = 3000)
  void ipv6TextFollowsRfc5952AndIsAFixpoint(@ForAll("sparseIpv6") byte[] address,
      @ForAll @IntRange(min = 0, max = 128) int length) throws Exception {
    String oldForm = InetAddress.getByAddress(address).getHostAddress();
    IpPrefix prefix = new IpPrefix(oldForm, length);
    Rfc5952.assertCanonical(address, prefix.address());
    String text = prefix.toString();
    assertEquals(prefix.address() + "/" + length, text);
    IpPrefix reparsed = IpPrefix.parse(text);
    assertEquals(prefix, reparsed);
    assertEquals(text, reparsed.toString(), "the canonical form is a fixpoint");
    assertEquals(prefix, IpPrefix.parse(oldForm + "/" + length), "the old uncompressed form still reads");
    assertEquals(prefix, IpPrefix.parse(text.toUpperCase(Locale.ROOT)), "upper case reads");
    Rfc5952.assertCanonical(prefix.network().addressBytes(), prefix.network().address());
  }

  @Provide
  Arbitrary<byte[]> sparseIpv6() {
    return Rfc5952.sparseIpv6();
  }

  @Test
  void networkMasksHostBitsAndContainsChecksTheRange() {
    IpPrefix host = IpPrefix.parse("10.77.3.9/16");
    assertEquals(IpPrefix.parse("10.77.0.0/16"), host.network());
    assertTrue(host.contains("10.77.255.255"));
    assertFalse(host.contains("10.78.0.0"));
    assertFalse(host.contains("fd00::1"), "an IPv6 address is never inside an IPv4 prefix");
    assertEquals(new IpPrefix("192.0.2.1", 32), IpPrefix.parse("192.0.2.1"));
    assertEquals(new IpPrefix("fd00::1", 128), IpPrefix.parse("fd00::1"));
    assertEquals(IpPrefix.parse("fd00:0:0:0:0:0:0:0/8"), IpPrefix.parse("fd12::/8").network());
    assertEquals("fd00::/8", IpPrefix.parse("fd12::/8").network().toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/8", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/x", "10.0.0/8",
      "10.0.0.256/8", "010.0.0.0/8", "fd00::/129", "fd00::g/64", "example.com/24", "10.0.0.0/8/8", "fd00::%1/64"})
  void malformedPrefixesAreRejected(String text) {
    assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse(text));
  }

  @Property
  void arbitraryTextParsesToARoundTrippingPrefixOrFailsWithIllegalArgument(@ForAll("prefixish") String text) {
    IpPrefix prefix;
    try {
      prefix = IpPrefix.parse(text);
    } catch (IllegalArgumentException expected) {
      return;
    }
    assertEquals(prefix, IpPrefix.parse(prefix.toString()));
    assertEquals(prefix.toString(), IpPrefix.parse(prefix.toString()).toString());
  }

  /** Includes text like ".1:2/8" that the JDK would resolve as a name: it must be refused first. */
  @Provide
  Arbitrary<String> prefixish() {
    return Arbitraries.strings().withChars("0123456789abcdefABCDEF:./% -").ofMaxLength(48);
  }
}
