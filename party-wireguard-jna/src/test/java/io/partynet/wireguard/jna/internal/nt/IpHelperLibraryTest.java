package io.partynet.wireguard.jna.internal.nt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Structure;
import io.partynet.IpPrefix;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** JNA's layout of the IP Helper row equals mingw's, and the row the wrapper fills is the expected one. */
class IpHelperLibraryTest {

  @Test
  void unicastAddressRowLayoutMatchesMingw() {
    IpHelperLibrary.MIB_UNICASTIPADDRESS_ROW row = new IpHelperLibrary.MIB_UNICASTIPADDRESS_ROW();
    String[] fields = {"Address", "InterfaceLuid", "InterfaceIndex", "PrefixOrigin", "SuffixOrigin",
        "ValidLifetime", "PreferredLifetime", "OnLinkPrefixLength", "SkipAsSource", "DadState", "ScopeId",
        "CreationTimeStamp"};
    int[] actual = new int[fields.length + 2];
    actual[0] = row.size();
    actual[1] = row.alignment();
    for (int i = 0; i < fields.length; i++) {
      actual[i + 2] = row.offsetOf(fields[i]);
    }
    assertArrayEquals(MingwVectors.MIB_UNICASTIPADDRESS_ROW, actual);
    // InterfaceLuid stands for the NET_LUID union: same size, and placed at a multiple of its alignment.
    assertEquals(MingwVectors.NET_LUID[0], Long.BYTES);
    assertEquals(0, row.offsetOf("InterfaceLuid") % MingwVectors.NET_LUID[1]);
  }

  @Test
  void ipInterfaceRowLayoutMatchesMingw() {
    IpHelperLibrary.MIB_IPINTERFACE_ROW row = new IpHelperLibrary.MIB_IPINTERFACE_ROW();
    List<String> fields = List.of(
        IpHelperLibrary.MIB_IPINTERFACE_ROW.class.getAnnotation(Structure.FieldOrder.class).value());
    int[] actual = new int[fields.size() + 3];
    actual[0] = row.size();
    actual[1] = row.alignment();
    actual[2] = row.offsetOf("ReceiveOffload") - row.offsetOf("TransmitOffload"); // NL_INTERFACE_OFFLOAD_ROD
    for (int i = 0; i < fields.size(); i++) {
      actual[i + 3] = row.offsetOf(fields.get(i));
    }
    assertArrayEquals(MingwVectors.MIB_IPINTERFACE_ROW, actual);
  }

  @Test
  void setMtuReadsTheRowChangesTheMtuAndWritesItBack() throws Exception {
    RecordingIpHelper library = new RecordingIpHelper();
    new IpHelper(library).setMtu(0x42, false, 1420);
    assertEquals(List.of("Initialize", "Get family=2 luid=42", "Set mtu=1420 sitePrefix=0 metric=25"), library.calls);
  }

  @Test
  void setMtuReportsTheFailingCall() {
    RecordingIpHelper library = new RecordingIpHelper();
    library.getError = IpHelperLibrary.ERROR_NOT_FOUND;
    IOException e = assertThrows(IOException.class, () -> new IpHelper(library).setMtu(1, true, 1280));
    assertTrue(e.getMessage().contains("GetIpInterfaceEntry(IPv6) failed with Windows error 1168"), e.getMessage());
  }

  @Test
  void addAddressToleratesAnExistingAddressOnly() throws Exception {
    RecordingIpHelper library = new RecordingIpHelper();
    library.createError = IpHelperLibrary.ERROR_OBJECT_ALREADY_EXISTS;
    new IpHelper(library).addAddress(1, IpPrefix.parse("10.77.0.2/16"));
    library.createError = WindowsErrors.ERROR_ACCESS_DENIED;
    IOException e = assertThrows(IOException.class,
        () -> new IpHelper(library).addAddress(1, IpPrefix.parse("10.77.0.2/16")));
    assertTrue(e.getMessage().contains("CreateUnicastIpAddressEntry(10.77.0.2/16) failed with Windows error 5"),
        e.getMessage());
  }

  @Test
  void rowForAnIpv4AddressOnALuid() {
    IpHelperLibrary.MIB_UNICASTIPADDRESS_ROW row = new IpHelper(new InitializingIpHelper())
        .row(0x0123456789abcdefL, IpPrefix.parse("10.77.0.2/16"));
    // SOCKADDR_IN: family 2 little-endian, port 0, 10.77.0.2, zero padding to 28 bytes.
    assertEquals("020000000a4d0002" + "00".repeat(20), HexFormat.of().formatHex(row.Address));
    assertEquals(0x0123456789abcdefL, row.InterfaceLuid);
    assertEquals(16, row.OnLinkPrefixLength);
    assertEquals(IpHelperLibrary.IP_DAD_STATE_PREFERRED, row.DadState);
    assertEquals(-1, row.ValidLifetime, "the initialised default is kept");
  }

  @Test
  void rowForAnIpv6Address() {
    IpHelperLibrary.MIB_UNICASTIPADDRESS_ROW row = new IpHelper(new InitializingIpHelper())
        .row(1, IpPrefix.parse("fd77::2/64"));
    // SOCKADDR_IN6: family 23, port 0, flowinfo 0, fd77::2, scope 0.
    assertEquals("1700000000000000" + "fd770000000000000000000000000002" + "00000000",
        HexFormat.of().formatHex(row.Address));
    assertEquals(64, row.OnLinkPrefixLength);
  }

  /** Sets the two lifetimes the way InitializeUnicastIpAddressEntry does (infinite, 0xffffffff). */
  private static final class InitializingIpHelper implements IpHelperLibrary {
    @Override
    public void InitializeUnicastIpAddressEntry(MIB_UNICASTIPADDRESS_ROW row) {
      row.ValidLifetime = -1;
      row.PreferredLifetime = -1;
    }

    @Override
    public int CreateUnicastIpAddressEntry(MIB_UNICASTIPADDRESS_ROW row) {
      return NO_ERROR;
    }

    @Override
    public void InitializeIpInterfaceEntry(MIB_IPINTERFACE_ROW row) {}

    @Override
    public int GetIpInterfaceEntry(MIB_IPINTERFACE_ROW row) {
      return NO_ERROR;
    }

    @Override
    public int SetIpInterfaceEntry(MIB_IPINTERFACE_ROW row) {
      return NO_ERROR;
    }
  }

  /** Records the interface-row calls; Get fills in what Windows reports for an IPv4 row. */
  private static final class RecordingIpHelper implements IpHelperLibrary {
    final List<String> calls = new ArrayList<>();
    int getError;
    int createError;

    @Override
    public void InitializeUnicastIpAddressEntry(MIB_UNICASTIPADDRESS_ROW row) {}

    @Override
    public int CreateUnicastIpAddressEntry(MIB_UNICASTIPADDRESS_ROW row) {
      return createError;
    }

    @Override
    public void InitializeIpInterfaceEntry(MIB_IPINTERFACE_ROW row) {
      calls.add("Initialize");
    }

    @Override
    public int GetIpInterfaceEntry(MIB_IPINTERFACE_ROW row) {
      calls.add("Get family=" + row.Family + " luid=" + Long.toHexString(row.InterfaceLuid));
      row.SitePrefixLength = 64;
      row.Metric = 25;
      row.NlMtu = 65535;
      return getError;
    }

    @Override
    public int SetIpInterfaceEntry(MIB_IPINTERFACE_ROW row) {
      calls.add("Set mtu=" + row.NlMtu + " sitePrefix=" + row.SitePrefixLength + " metric=" + row.Metric);
      return NO_ERROR;
    }
  }
}
