package io.partynet.core.internal.socks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.testing.Socks5Client;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The SOCKS5 handshake codec against an independently written client: valid greetings and
 * requests round trip, every truncation and every invalid field is rejected with the reply RFC
 * 1928 gives for it, and arbitrary bytes never produce anything but a request or a
 * {@link SocksRejected}. Input comes from byte arrays, so a decoder that waited for more than the
 * format allows would fail (end of stream), not hang.
 */
class SocksCodecPropertiesTest {

  @Property
  void ipv4RequestsRoundTrip(@ForAll("requests") SocksRequest request) throws IOException {
    assertTrue(!request.byName());
    byte[] wire = Socks5Client.connectToIpv4(request.host(), request.port());
    ByteArrayInputStream in = new ByteArrayInputStream(wire);
    assertEquals(request, SocksCodec.readRequest(in));
    assertEquals(0, in.available(), "read exactly the request");
  }

  @Property
  void dottedNamesAreAcceptedAsAddresses(@ForAll("requests") SocksRequest request) throws IOException {
    byte[] wire = Socks5Client.connectToName(request.host(), request.port());
    assertEquals(request, SocksCodec.readRequest(new ByteArrayInputStream(wire)));
  }

  @Property
  void bytesAfterTheRequestAreLeftForTheConnection(
      @ForAll("requests") SocksRequest request, @ForAll @Size(min = 1, max = 64) byte[] early) throws IOException {
    byte[] wire = concat(Socks5Client.connectToIpv4(request.host(), request.port()), early);
    ByteArrayInputStream in = new ByteArrayInputStream(wire);
    SocksCodec.readRequest(in);
    assertArrayEquals(early, in.readAllBytes());
  }

  @Property
  void everyTruncatedRequestIsAGeneralFailure(
      @ForAll("requests") SocksRequest request, @ForAll boolean byName, @ForAll @IntRange(max = 300) int cut) {
    byte[] wire = byName ? Socks5Client.connectToName(request.host(), request.port())
        : Socks5Client.connectToIpv4(request.host(), request.port());
    byte[] prefix = Arrays.copyOf(wire, cut % wire.length);
    assertRejected(SocksReply.GENERAL_FAILURE, prefix);
  }

  @Property
  void eachInvalidFieldGetsItsReply(@ForAll("requests") SocksRequest request, @ForAll @IntRange(max = 255) int value) {
    byte[] valid = Socks5Client.connectToIpv4(request.host(), request.port());
    if (value != 5) {
      assertRejected(SocksReply.GENERAL_FAILURE, with(valid, 0, value));
    }
    if (value != 1) {
      assertRejected(SocksReply.COMMAND_NOT_SUPPORTED, with(valid, 1, value));
    }
    if (value != 0) {
      assertRejected(SocksReply.GENERAL_FAILURE, with(valid, 2, value));
    }
    if (value != 1 && value != 3) {
      assertRejected(SocksReply.ADDRESS_TYPE_NOT_SUPPORTED, with(valid, 3, value));
    }
    assertRejected(SocksReply.GENERAL_FAILURE, with(with(valid, 8, 0), 9, 0));
  }

  @Property
  void namesThatAreNoIpv4LiteralAreReadAsNames(@ForAll("names") String name, @ForAll @IntRange(min = 1, max = 65535) int port)
      throws IOException {
    assertNull(SocksCodec.parseIpv4Literal(name));
    SocksRequest request = SocksCodec.readRequest(new ByteArrayInputStream(Socks5Client.connectToName(name, port)));
    assertEquals(new SocksRequest(name, port), request);
    assertTrue(request.byName());
  }

  @Property
  void namesWithControlCharactersAreMalformed(@ForAll("names") String name, @ForAll @IntRange(max = 0x1F) int control,
      @ForAll @IntRange(max = 254) int at) {
    String bad = name.substring(0, Math.min(at, name.length())) + (char) control + name.substring(Math.min(at, name.length()));
    if (bad.length() <= SocksRequest.MAX_NAME_LENGTH) {
      assertRejected(SocksReply.GENERAL_FAILURE, Socks5Client.connectToName(bad, 80));
    }
  }

  @Property(tries = 2000)
  void arbitraryBytesGiveARequestOrARejectionNeverAnythingElse(@ForAll @Size(max = 300) byte[] input) {
    try {
      SocksRequest request = SocksCodec.readRequest(new ByteArrayInputStream(input));
      assertTrue(input[0] == 5 && input[1] == 1 && input[2] == 0 && (input[3] == 1 || input[3] == 3), request::toString);
    } catch (SocksRejected expected) {
      assertTrue(expected.reply() != SocksReply.SUCCEEDED);
    } catch (IOException e) {
      throw new AssertionError("an unexpected exception", e);
    }
    try {
      SocksCodec.readGreeting(new ByteArrayInputStream(input));
    } catch (SocksRejected expected) {
      assertEquals(SocksReply.GENERAL_FAILURE, expected.reply());
    } catch (IOException e) {
      throw new AssertionError("an unexpected exception", e);
    }
  }

  @Property
  void greetingsSayWhetherNoAuthenticationIsOffered(
      @ForAll @Size(min = 1, max = 255) int[] methods, @ForAll @IntRange(max = 300) int cut) throws IOException {
    int[] bytes = Arrays.stream(methods).map(m -> m & 0xFF).toArray();
    byte[] wire = Socks5Client.greeting(bytes);
    boolean offered = Arrays.stream(bytes).anyMatch(m -> m == 0);
    ByteArrayInputStream in = new ByteArrayInputStream(concat(wire, new byte[] {5}));
    assertEquals(offered, SocksCodec.readGreeting(in));
    assertEquals(1, in.available(), "read exactly the greeting");
    SocksRejected truncated = assertThrows(SocksRejected.class,
        () -> SocksCodec.readGreeting(new ByteArrayInputStream(Arrays.copyOf(wire, cut % wire.length))));
    assertEquals(SocksReply.GENERAL_FAILURE, truncated.reply());
  }

  @Test
  void greetingsOfOtherVersionsOrWithoutMethodsAreMalformed() {
    for (byte[] bad : new byte[][] {{4, 1, 0}, {5, 0}, {0x16, 3, 1}}) {
      SocksRejected e = assertThrows(SocksRejected.class, () -> SocksCodec.readGreeting(new ByteArrayInputStream(bad)));
      assertEquals(SocksReply.GENERAL_FAILURE, e.reply());
    }
    assertArrayEquals(new byte[] {5, 0}, SocksCodec.methodSelection(true));
    assertArrayEquals(new byte[] {5, (byte) 0xFF}, SocksCodec.methodSelection(false));
  }

  @Test
  void repliesCarryTheBoundAddress() {
    assertArrayEquals(new byte[] {5, 0, 0, 1, 10, 66, 0, 1, (byte) 0xC3, 0x50},
        SocksCodec.reply(SocksReply.SUCCEEDED, "10.66.0.1", 50000));
    assertArrayEquals(new byte[] {5, 5, 0, 1, 0, 0, 0, 0, 0, 0}, SocksCodec.reply(SocksReply.CONNECTION_REFUSED, null, 0));
  }

  @Test
  void ipv4LiteralsAreStrict() {
    assertArrayEquals(new int[] {10, 0, 255, 1}, SocksCodec.parseIpv4Literal("10.0.255.1"));
    for (String bad : new String[] {"010.0.0.1", "1.2.3", "1.2.3.4.", ".1.2.3", "1..2.3", "256.1.1.1", "1.2.3.4.5", "a.b.c.d", "1.2.3.-4"}) {
      assertNull(SocksCodec.parseIpv4Literal(bad), bad);
    }
  }

  @Provide
  Arbitrary<SocksRequest> requests() {
    Arbitrary<Integer> octet = Arbitraries.integers().between(0, 255);
    Arbitrary<String> ip = Combinators.combine(octet, octet, octet, octet).as((a, b, c, d) -> a + "." + b + "." + c + "." + d);
    return Combinators.combine(ip, Arbitraries.integers().between(1, 65535)).as(SocksRequest::new);
  }

  @Provide
  Arbitrary<String> names() {
    Arbitrary<String> hostNames = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789.-").ofMinLength(1).ofMaxLength(255)
        .filter(s -> SocksCodec.parseIpv4Literal(s) == null);
    Arbitrary<String> almostIps = Arbitraries.of("010.0.0.1", "10.0.0", "10.0.0.256", "10.0.0.1.", "::1", "1e1.0.0.1", " 10.0.0.1");
    return Arbitraries.oneOf(hostNames, almostIps);
  }

  private static void assertRejected(SocksReply expected, byte[] wire) {
    SocksRejected e = assertThrows(SocksRejected.class, () -> SocksCodec.readRequest(new ByteArrayInputStream(wire)));
    assertEquals(expected, e.reply(), e.getMessage());
  }

  private static byte[] with(byte[] wire, int index, int value) {
    byte[] copy = wire.clone();
    copy[index] = (byte) value;
    return copy;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }
}
