package io.partynet.wireguard.jna.internal.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Key;
import io.partynet.PartyException;
import io.partynet.wireguard.jna.internal.device.InvalidDeviceConfigException.Problem;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad values are refused with a typed reason before anything reaches WireGuard; secrets never print. */
class DeviceModelTest {
  private static final String KEY = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";

  private static void refused(Problem problem, Executable build) {
    InvalidDeviceConfigException e = assertThrows(InvalidDeviceConfigException.class, build);
    assertEquals(problem, e.problem());
    assertEquals(PartyException.Reason.INVALID_ARGUMENT, e.reason());
    assertFalse(e.getMessage().isBlank());
  }

  @Test
  void refusesBadKeys() {
    refused(Problem.BAD_KEY, () -> PeerSettings.builder("not a key"));
    refused(Problem.BAD_KEY, () -> PeerSettings.builder(KEY.substring(1)));
    refused(Problem.BAD_KEY, () -> DeviceConfig.builder().privateKey("AAAA"));
    refused(Problem.BAD_KEY, () -> PeerSettings.builder(KEY).presharedKey("===="));
  }

  @Test
  void refusesBadAllowedIps() {
    for (String cidr : List.of("10.0.0.0/33", "10.0.0/8", "fd00::/129", "example.com/32", "10.0.0.0/-1", "")) {
      refused(Problem.BAD_ALLOWED_IP, () -> PeerSettings.builder(KEY).allowedIp(cidr));
    }
  }

  @Test
  void refusesBadPortsAndKeepalives() {
    refused(Problem.BAD_PORT, () -> DeviceConfig.builder().listenPort(65536));
    refused(Problem.BAD_PORT, () -> DeviceConfig.builder().listenPort(-1));
    refused(Problem.BAD_KEEPALIVE, () -> PeerSettings.builder(KEY).persistentKeepaliveSeconds(70000));
  }

  @Test
  void refusesBadEndpoints() {
    for (String endpoint : List.of("vpn.example.com:51820", "203.0.113.7", "203.0.113.7:0", "203.0.113.7:65536",
        "[2001:db8::1]", "2001:db8::1:51820", "300.1.1.1:5")) {
      refused(Problem.BAD_ENDPOINT, () -> PeerSettings.builder(KEY).endpoint(endpoint));
    }
  }

  @Test
  void refusesTheSamePeerTwice() {
    PeerSettings peer = PeerSettings.builder(KEY).build();
    refused(Problem.DUPLICATE_PEER, () -> DeviceConfig.builder().peer(peer).peer(peer).build());
  }

  @Test
  void recordsCopyTheirLists() {
    List<io.partynet.IpPrefix> ips = new ArrayList<>(List.of(io.partynet.IpPrefix.parse("10.0.0.0/8")));
    PeerSettings peer = PeerSettings.builder(KEY).allowedIps(ips).build();
    ips.clear();
    assertEquals(1, peer.allowedIps().size());
    assertThrows(UnsupportedOperationException.class, () -> peer.allowedIps().clear());
  }

  @Test
  void toStringNeverShowsSecrets() {
    Key secret = Key.fromBase64(KEY);
    DeviceConfig config = DeviceConfig.builder().privateKey(secret)
        .peer(PeerSettings.builder(Key.fromBytes(new byte[32])).presharedKey(secret).build()).build();
    String hex = secret.toHex();
    for (String text : List.of(config.toString(), config.peers().get(0).toString())) {
      assertFalse(text.contains(KEY) || text.contains(hex), text);
    }
    assertTrue(config.toString().contains("(set)"));
  }

  @Test
  void errnoNamesAndHints() {
    ErrnoException e = new ErrnoException("create link pnw0", -17, "File exists");
    assertEquals(Errno.EEXIST, e.errno());
    assertTrue(e.getMessage().contains("EEXIST") && e.getMessage().contains("File exists"), e.getMessage());
    assertEquals(Errno.UNKNOWN, new ErrnoException("x", 4000).errno());
    assertTrue(new ErrnoException("x", 4000).getMessage().contains("errno 4000"));
  }
}
