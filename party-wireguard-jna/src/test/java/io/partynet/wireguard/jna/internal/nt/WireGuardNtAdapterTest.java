package io.partynet.wireguard.jna.internal.nt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.partynet.Endpoint;
import io.partynet.IpPrefix;
import java.io.IOException;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class WireGuardNtAdapterTest {
  private final FakeWireGuardDll dll = new FakeWireGuardDll();
  private final WireGuardNt wireGuard = new WireGuardNt(dll, dll::lastError);

  @Test
  void failedCreateBecomesAnIoExceptionThatSaysWhatToDo() {
    dll.failures.put("WireGuardCreateAdapter", WindowsErrors.ERROR_ACCESS_DENIED);
    IOException e = assertThrows(IOException.class, () -> wireGuard.createAdapter("party0", "PartyNet", null));
    assertTrue(e.getMessage().contains("WireGuardCreateAdapter(party0) failed with Windows error 5"), e.getMessage());
    assertTrue(e.getMessage().contains("Administrator"), e.getMessage());
  }

  @Test
  void openingAMissingAdapterNamesTheError() {
    IOException e = assertThrows(IOException.class, () -> wireGuard.openAdapter("nothere"));
    assertTrue(e.getMessage().contains("error 2 (ERROR_FILE_NOT_FOUND)"), e.getMessage());
  }

  @Test
  void rejectsAdapterNamesTheDllWouldTruncate() {
    assertThrows(IllegalArgumentException.class, () -> wireGuard.createAdapter("x".repeat(128), "PartyNet", null));
    assertThrows(IllegalArgumentException.class, () -> wireGuard.createAdapter("", "PartyNet", null));
  }

  @Test
  void setThenGetGoesThroughTheBuffer() throws Exception {
    try (WireGuardNtAdapter adapter = wireGuard.createAdapter("party0", "PartyNet", null)) {
      adapter.setConfiguration(MingwVectors.sampleConfig());
      assertEquals(MingwVectors.SAMPLE_CONFIG_BYTES.length, dll.setBuffers.get(0).length);
      NtInterface read = adapter.configuration();
      assertEquals(OptionalInt.of(51820), read.listenPort());
      assertEquals(2, read.peers().size());
      assertEquals(Endpoint.parse("[2001:db8::1]:51821"), read.peers().get(1).endpoint().orElseThrow());
    }
  }

  /** 40 peers with 20 allowed IPs each need ~25 KB, far more than the first 4 KB guess. */
  @Test
  void retriesGetConfigurationWithTheSizeTheDllAsksFor() throws Exception {
    NtInterface.Builder big = NtInterface.builder().replacePeers(true);
    for (int peer = 0; peer < 40; peer++) {
      NtPeer.Builder builder = NtPeer.builder(MingwVectors.sequenceKey(peer));
      for (int ip = 0; ip < 20; ip++) {
        builder.addAllowedIp(NtAllowedIp.of(IpPrefix.parse("10." + peer + "." + ip + ".0/24")));
      }
      big.addPeer(builder.build());
    }
    try (WireGuardNtAdapter adapter = wireGuard.createAdapter("party0", "PartyNet", null)) {
      adapter.setConfiguration(big.build());
      assertEquals(40, adapter.configuration().peers().size());
      assertEquals(2, dll.calls.stream().filter("WireGuardGetConfiguration"::equals).count());
    }
  }

  @Test
  void otherGetErrorsAreReported() throws Exception {
    try (WireGuardNtAdapter adapter = wireGuard.createAdapter("party0", "PartyNet", null)) {
      dll.failures.put("WireGuardGetConfiguration", WindowsErrors.ERROR_INVALID_PARAMETER);
      IOException e = assertThrows(IOException.class, adapter::configuration);
      assertTrue(e.getMessage().contains("WireGuardGetConfiguration on adapter party0 failed with Windows error 87"),
          e.getMessage());
    }
  }

  @Test
  void stateLoggingAndLuid() throws Exception {
    try (WireGuardNtAdapter adapter = wireGuard.createAdapter("party0", "PartyNet", null)) {
      adapter.setLogging(WireGuardNtLibrary.ADAPTER_LOG_ON);
      adapter.setUp(true);
      assertTrue(adapter.isUp());
      assertEquals(WireGuardNtLibrary.ADAPTER_LOG_ON, dll.logState);
      assertEquals(0x0006_0000_0123_4567L, adapter.luid());
      dll.failures.put("WireGuardSetAdapterState", WindowsErrors.ERROR_INVALID_PARAMETER);
      assertThrows(IOException.class, () -> adapter.setUp(false));
    }
  }

  @Test
  void closeIsIdempotentAndLaterCallsFail() throws Exception {
    WireGuardNtAdapter adapter = wireGuard.createAdapter("party0", "PartyNet", null);
    adapter.close();
    adapter.close();
    assertEquals(1, dll.calls.stream().filter("WireGuardCloseAdapter"::equals).count());
    assertThrows(IllegalStateException.class, adapter::luid);
  }

  /** The GUID keeps the UUID's 128 bits: Data1-Data2-Data3-Data4 print as the UUID does. */
  @Test
  void guidCarriesTheUuid() {
    UUID uuid = UUID.fromString("deadc001-beef-babe-0123-456789abcdef");
    assertEquals("{DEADC001-BEEF-BABE-0123-456789ABCDEF}", WireGuardNt.toGuid(uuid).toGuidString());
  }
}
