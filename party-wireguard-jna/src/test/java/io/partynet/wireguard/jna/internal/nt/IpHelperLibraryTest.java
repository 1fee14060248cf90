package io.partynet.wireguard.jna.internal.nt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.partynet.IpPrefix;
import java.util.HexFormat;
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
    public int DeleteUnicastIpAddressEntry(MIB_UNICASTIPADDRESS_ROW row) {
      return NO_ERROR;
    }
  }
}
