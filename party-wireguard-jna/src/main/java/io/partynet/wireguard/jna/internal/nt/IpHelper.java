package io.partynet.wireguard.jna.internal.nt;

import io.partynet.IpPrefix;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * Assigns interface addresses and MTUs through the IP Helper API, turning its error codes into
 * {@link IOException}s. Thread-safe (stateless apart from the binding).
 */
public final class IpHelper implements InterfaceAddresses {
  private final IpHelperLibrary library;

  public IpHelper(IpHelperLibrary library) {
    this.library = Objects.requireNonNull(library, "library");
  }

  /**
   * Gives the interface {@code luid} the address {@code address.address()} with on-link prefix
   * {@code address.prefixLength()}, usable at once (DAD state "preferred"). Succeeds when the address
   * is already there.
   */
  @Override
  public void addAddress(long luid, IpPrefix address) throws IOException {
    IpHelperLibrary.MIB_UNICASTIPADDRESS_ROW row = row(luid, address);
    int error = library.CreateUnicastIpAddressEntry(row);
    if (error != IpHelperLibrary.NO_ERROR && error != IpHelperLibrary.ERROR_OBJECT_ALREADY_EXISTS) {
      throw WindowsErrors.failure("CreateUnicastIpAddressEntry(" + address + ")", error);
    }
  }

  @Override
  public void setMtu(long luid, boolean ipv6, int mtu) throws IOException {
    IpHelperLibrary.MIB_IPINTERFACE_ROW row = new IpHelperLibrary.MIB_IPINTERFACE_ROW();
    library.InitializeIpInterfaceEntry(row);
    row.Family = (short) (ipv6 ? NtStructs.AF_INET6 : NtStructs.AF_INET);
    row.InterfaceLuid = luid;
    int error = library.GetIpInterfaceEntry(row);
    if (error != IpHelperLibrary.NO_ERROR) {
      throw WindowsErrors.failure("GetIpInterfaceEntry(" + (ipv6 ? "IPv6" : "IPv4") + ")", error);
    }
    row.NlMtu = mtu;
    if (!ipv6) {
      // Get reports a site prefix length that Set refuses on an IPv4 row; wireguard-nt's example clears it too.
      row.SitePrefixLength = 0;
    }
    error = library.SetIpInterfaceEntry(row);
    if (error != IpHelperLibrary.NO_ERROR) {
      throw WindowsErrors.failure("SetIpInterfaceEntry(MTU " + mtu + ")", error);
    }
  }

  /** The row CreateUnicastIpAddressEntry takes for {@code address} on {@code luid}. */
  IpHelperLibrary.MIB_UNICASTIPADDRESS_ROW row(long luid, IpPrefix address) {
    IpHelperLibrary.MIB_UNICASTIPADDRESS_ROW row = new IpHelperLibrary.MIB_UNICASTIPADDRESS_ROW();
    library.InitializeUnicastIpAddressEntry(row);
    byte[] sockaddr = NtConfigCodec.sockaddrInet(literal(address), 0);
    System.arraycopy(sockaddr, 0, row.Address, 0, sockaddr.length);
    row.InterfaceLuid = luid;
    row.OnLinkPrefixLength = (byte) address.prefixLength();
    row.DadState = IpHelperLibrary.IP_DAD_STATE_PREFERRED;
    return row;
  }

  private static InetAddress literal(IpPrefix prefix) {
    try {
      return InetAddress.getByAddress(prefix.addressBytes());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + prefix, e);
    }
  }
}
