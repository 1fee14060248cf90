package io.partynet.protocol.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.IpPrefix;
import io.partynet.PartyInfo;
import io.partynet.Peer;
import io.partynet.protocol.internal.GoldenVectors.Vector;
import io.partynet.spi.Signal;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every v1 message, checked both ways against the bytes a v1 peer sends: serialising the record
 * gives exactly the golden file, and reading the golden file (with the server's strict and the
 * client's lenient mapper) gives the record back. The coverage tests make a new message type, event
 * type or golden file without its counterpart fail.
 */
class GoldenVectorsTest {

  static List<Vector> vectors() {
    return GoldenVectors.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void serialisesToTheGoldenBytes(Vector vector) throws IOException {
    assertEquals(golden(vector.file()), ProtocolJson.write(vector.message()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void parsesTheGoldenBytesToTheRecord(Vector vector) throws IOException {
    byte[] bytes = golden(vector.file()).getBytes(StandardCharsets.UTF_8);
    assertEquals(vector.message(), ProtocolJson.strict().readValue(bytes, vector.type()));
    assertEquals(vector.message(), ProtocolJson.lenient().readValue(bytes, vector.type()));
  }

  /**
   * Peers before RFC 5952 text wrote IPv6 endpoint hosts uncompressed ({@code 2001:db8:0:0:0:0:0:7});
   * what they send still reads to the same record.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void readsTheUncompressedIpv6HostsEarlierPeersSent(Vector vector) throws IOException {
    String golden = golden(vector.file());
    byte[] earlier = golden.replace("\"host\":\"2001:db8::7\"", "\"host\":\"2001:db8:0:0:0:0:0:7\"")
        .getBytes(StandardCharsets.UTF_8);
    assertEquals(vector.message(), ProtocolJson.strict().readValue(earlier, vector.type()));
    assertEquals(vector.message(), ProtocolJson.lenient().readValue(earlier, vector.type()));
  }

  /**
   * An IPv6 subnet travels in its RFC 5952 text ({@code fd77::}); the uncompressed text peers
   * before it wrote ({@code fd77:0:0:0:0:0:0:0}) still reads to the same record.
   */
  @Test
  void writesAnIpv6SubnetInTheRfc5952FormAndReadsTheUncompressedOne() throws IOException {
    PartyInfo party = GoldenVectors.PARTY;
    PartyResponse response = new PartyResponse(new PartyInfo(party.partyId(), party.name(), party.hostId(),
        party.peers(), party.createdAt(), IpPrefix.parse("FD77:0000::/64")), 2);
    String written = ProtocolJson.write(response);
    String subnet = "\"subnet\":{\"address\":\"fd77::\",\"prefixLength\":64}";
    assertTrue(written.contains(subnet), written);
    byte[] earlier = written.replace(subnet, "\"subnet\":{\"address\":\"fd77:0:0:0:0:0:0:0\",\"prefixLength\":64}")
        .getBytes(StandardCharsets.UTF_8);
    assertEquals(response, ProtocolJson.strict().readValue(earlier, PartyResponse.class));
    assertEquals(response, ProtocolJson.lenient().readValue(earlier, PartyResponse.class));
  }

  @Test
  void everyGoldenFileIsAVectorAndEveryVectorHasAFile() throws IOException, URISyntaxException {
    Path directory = Path.of(GoldenVectorsTest.class.getClassLoader().getResource(GoldenVectors.DIRECTORY).toURI());
    Set<String> files;
    try (Stream<Path> listing = Files.list(directory)) {
      files = listing.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }
    assertEquals(files, vectors().stream().map(Vector::file).collect(Collectors.toCollection(TreeSet::new)));
  }

  @Test
  void everyEventTypeHasAVector() throws IllegalAccessException {
    Set<String> eventTypes = new TreeSet<>();
    for (Field field : Protocol.class.getFields()) {
      if (field.getName().startsWith("EVENT_") && Modifier.isStatic(field.getModifiers())) {
        eventTypes.add((String) field.get(null));
      }
    }
    Set<String> covered = vectors().stream().map(Vector::message).filter(EventMessage.class::isInstance)
        .map(m -> ((EventMessage) m).type()).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(eventTypes, covered);
  }

  /** Every record of the protocol package, and the API models sent on their own, has a vector. */
  @Test
  void everyWireRecordHasAVector() throws IOException, URISyntaxException, ClassNotFoundException {
    Path classes = Path.of(ProtocolJson.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .resolve(ProtocolJson.class.getPackageName().replace('.', '/'));
    Set<String> records = new TreeSet<>(Set.of(Peer.class.getName(), Signal.class.getName(),
        io.partynet.Invite.class.getName()));
    try (Stream<Path> listing = Files.list(classes)) {
      for (Path file : listing.toList()) {
        String name = file.getFileName().toString();
        if (name.endsWith(".class") && !name.contains("$")) {
          Class<?> type = Class.forName(ProtocolJson.class.getPackageName() + "." + name.replace(".class", ""));
          if (type.isRecord()) {
            records.add(type.getName());
          }
        }
      }
    }
    Set<String> covered = vectors().stream().map(Vector::type).filter(Class::isRecord).map(Class::getName)
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(records, covered);
  }

  private static String golden(String file) throws IOException {
    try (InputStream in = GoldenVectorsTest.class.getClassLoader()
        .getResourceAsStream(GoldenVectors.DIRECTORY + "/" + file)) {
      assertNotNull(in, "missing golden file " + file);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
