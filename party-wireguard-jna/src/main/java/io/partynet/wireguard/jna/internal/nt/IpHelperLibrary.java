package io.partynet.wireguard.jna.internal.nt;

import com.sun.jna.Native;
import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;
import com.sun.jna.win32.StdCallLibrary;

/**
 * Raw binding of the part of the Windows IP Helper API (iphlpapi.dll, {@code netioapi.h}) that
 * assigns an address to an interface and sets its MTU. The functions return a Win32 error code, 0 on
 * success.
 * Thread-safe.
 */
public interface IpHelperLibrary extends StdCallLibrary {
  int NO_ERROR = 0;
  int ERROR_OBJECT_ALREADY_EXISTS = 5010;
  int ERROR_NOT_FOUND = 1168;

  /** {@code NL_DAD_STATE IpDadStatePreferred}: the address is usable at once. */
  int IP_DAD_STATE_PREFERRED = 4;
  int IP_PREFIX_ORIGIN_MANUAL = 1;
  int IP_SUFFIX_ORIGIN_MANUAL = 1;

  static IpHelperLibrary load() {
    return Native.load("iphlpapi", IpHelperLibrary.class);
  }

  /** Sets every field to its default (infinite lifetimes, origins "unchanged", ...). */
  void InitializeUnicastIpAddressEntry(MIB_UNICASTIPADDRESS_ROW row);

  int CreateUnicastIpAddressEntry(MIB_UNICASTIPADDRESS_ROW row);

  /** Sets every field to its default; then fill in Family and InterfaceLuid and call Get. */
  void InitializeIpInterfaceEntry(MIB_IPINTERFACE_ROW row);

  int GetIpInterfaceEntry(MIB_IPINTERFACE_ROW row);

  int SetIpInterfaceEntry(MIB_IPINTERFACE_ROW row);

  /**
   * {@code MIB_UNICASTIPADDRESS_ROW} with MSVC alignment whatever the JVM runs on. {@code Address} is
   * the 28-byte {@code SOCKADDR_INET} union kept as raw bytes (written by {@link NtConfigCodec}'s
   * sockaddr code); {@code InterfaceLuid} is the {@code NET_LUID} union's 64-bit value, {@code ScopeId}
   * the {@code SCOPE_ID} union's 32-bit value, {@code CreationTimeStamp} a {@code LARGE_INTEGER}.
   * Layout checked against mingw-w64 (docs/wireguard-nt.md). Not thread-safe (a mutable JNA struct).
   */
  @FieldOrder({"Address", "InterfaceLuid", "InterfaceIndex", "PrefixOrigin", "SuffixOrigin", "ValidLifetime",
      "PreferredLifetime", "OnLinkPrefixLength", "SkipAsSource", "DadState", "ScopeId", "CreationTimeStamp"})
  class MIB_UNICASTIPADDRESS_ROW extends Structure {
    public byte[] Address = new byte[NtStructs.SockaddrInet.SIZE];
    public long InterfaceLuid;
    public int InterfaceIndex;
    public int PrefixOrigin;
    public int SuffixOrigin;
    public int ValidLifetime;
    public int PreferredLifetime;
    public byte OnLinkPrefixLength;
    public byte SkipAsSource;
    public int DadState;
    public int ScopeId;
    public long CreationTimeStamp;

    public MIB_UNICASTIPADDRESS_ROW() {
      super(ALIGN_MSVC);
    }

    /** The byte offset of {@code field}, for the layout test. */
    int offsetOf(String field) {
      return fieldOffset(field);
    }

    /** The alignment JNA gives the whole struct, for the layout test. */
    int alignment() {
      size();
      return getStructAlignment();
    }
  }

  /**
   * {@code MIB_IPINTERFACE_ROW} with MSVC alignment: the per-family IP settings of an interface
   * (MTU, metric, ...). {@code BOOLEAN} fields and the one-byte {@code NL_INTERFACE_OFFLOAD_ROD}
   * bit-field structs are bytes, enums and {@code ULONG}s ints. Layout checked against mingw-w64
   * (docs/wireguard-nt.md). Not thread-safe (a mutable JNA struct).
   */
  @FieldOrder({"Family", "InterfaceLuid", "InterfaceIndex", "MaxReassemblySize", "InterfaceIdentifier",
      "MinRouterAdvertisementInterval", "MaxRouterAdvertisementInterval", "AdvertisingEnabled",
      "ForwardingEnabled", "WeakHostSend", "WeakHostReceive", "UseAutomaticMetric",
      "UseNeighborUnreachabilityDetection", "ManagedAddressConfigurationSupported",
      "OtherStatefulConfigurationSupported", "AdvertiseDefaultRoute", "RouterDiscoveryBehavior", "DadTransmits",
      "BaseReachableTime", "RetransmitTime", "PathMtuDiscoveryTimeout", "LinkLocalAddressBehavior",
      "LinkLocalAddressTimeout", "ZoneIndices", "SitePrefixLength", "Metric", "NlMtu", "Connected",
      "SupportsWakeUpPatterns", "SupportsNeighborDiscovery", "SupportsRouterDiscovery", "ReachableTime",
      "TransmitOffload", "ReceiveOffload", "DisableDefaultRoutes"})
  class MIB_IPINTERFACE_ROW extends Structure {
    /** {@code ScopeLevelCount}: the number of {@code SCOPE_LEVEL}s, one zone index each. */
    static final int SCOPE_LEVEL_COUNT = 16;

    public short Family;
    public long InterfaceLuid;
    public int InterfaceIndex;
    public int MaxReassemblySize;
    public long InterfaceIdentifier;
    public int MinRouterAdvertisementInterval;
    public int MaxRouterAdvertisementInterval;
    public byte AdvertisingEnabled;
    public byte ForwardingEnabled;
    public byte WeakHostSend;
    public byte WeakHostReceive;
    public byte UseAutomaticMetric;
    public byte UseNeighborUnreachabilityDetection;
    public byte ManagedAddressConfigurationSupported;
    public byte OtherStatefulConfigurationSupported;
    public byte AdvertiseDefaultRoute;
    public int RouterDiscoveryBehavior;
    public int DadTransmits;
    public int BaseReachableTime;
    public int RetransmitTime;
    public int PathMtuDiscoveryTimeout;
    public int LinkLocalAddressBehavior;
    public int LinkLocalAddressTimeout;
    public int[] ZoneIndices = new int[SCOPE_LEVEL_COUNT];
    public int SitePrefixLength;
    public int Metric;
    public int NlMtu;
    public byte Connected;
    public byte SupportsWakeUpPatterns;
    public byte SupportsNeighborDiscovery;
    public byte SupportsRouterDiscovery;
    public int ReachableTime;
    public byte TransmitOffload;
    public byte ReceiveOffload;
    public byte DisableDefaultRoutes;

    public MIB_IPINTERFACE_ROW() {
      super(ALIGN_MSVC);
    }

    /** The byte offset of {@code field}, for the layout test. */
    int offsetOf(String field) {
      return fieldOffset(field);
    }

    /** The alignment JNA gives the whole struct, for the layout test. */
    int alignment() {
      size();
      return getStructAlignment();
    }
  }
}
