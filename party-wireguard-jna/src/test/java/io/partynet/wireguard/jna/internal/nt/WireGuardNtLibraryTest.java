package io.partynet.wireguard.jna.internal.nt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.WString;
import com.sun.jna.platform.win32.Guid;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The JNA bindings declare what wireguard.dll and iphlpapi.dll export, with Java types of the sizes
 * the C types have ({@link MingwVectors#SIGNATURE_TYPE_SIZES}). The prototypes are transcribed from
 * wireguard-nt's {@code api/wireguard.h} and mingw-w64's {@code netioapi.h}.
 */
class WireGuardNtLibraryTest {
  /** C type -> the Java type JNA passes it as. */
  private static final Map<String, Class<?>> JAVA_TYPE = Map.ofEntries(
      Map.entry("BOOL", boolean.class),
      Map.entry("VOID", void.class),
      Map.entry("DWORD", int.class),
      Map.entry("NETIO_STATUS", int.class),
      Map.entry("WIREGUARD_ADAPTER_STATE", int.class),
      Map.entry("WIREGUARD_ADAPTER_LOG_STATE", int.class),
      Map.entry("WIREGUARD_ADAPTER_HANDLE", Pointer.class),
      Map.entry("LPCWSTR", WString.class),
      Map.entry("const GUID *", Guid.GUID.class),
      Map.entry("NET_LUID *", LongByReference.class),
      Map.entry("DWORD *", IntByReference.class),
      Map.entry("WIREGUARD_ADAPTER_STATE *", IntByReference.class),
      Map.entry("const WIREGUARD_INTERFACE *", Pointer.class),
      Map.entry("WIREGUARD_INTERFACE *", Pointer.class),
      Map.entry("WIREGUARD_LOGGER_CALLBACK", WireGuardNtLibrary.LoggerCallback.class),
      Map.entry("PMIB_UNICASTIPADDRESS_ROW", IpHelperLibrary.MIB_UNICASTIPADDRESS_ROW.class),
      Map.entry("PMIB_IPINTERFACE_ROW", IpHelperLibrary.MIB_IPINTERFACE_ROW.class));

  /** Name -> "return type, parameter types" as the headers declare them. */
  private static final Map<String, List<String>> WIREGUARD_H = Map.ofEntries(
      Map.entry("WireGuardCreateAdapter", List.of("WIREGUARD_ADAPTER_HANDLE", "LPCWSTR", "LPCWSTR", "const GUID *")),
      Map.entry("WireGuardOpenAdapter", List.of("WIREGUARD_ADAPTER_HANDLE", "LPCWSTR")),
      Map.entry("WireGuardCloseAdapter", List.of("VOID", "WIREGUARD_ADAPTER_HANDLE")),
      Map.entry("WireGuardDeleteDriver", List.of("BOOL")),
      Map.entry("WireGuardGetAdapterLUID", List.of("VOID", "WIREGUARD_ADAPTER_HANDLE", "NET_LUID *")),
      Map.entry("WireGuardGetRunningDriverVersion", List.of("DWORD")),
      Map.entry("WireGuardSetLogger", List.of("VOID", "WIREGUARD_LOGGER_CALLBACK")),
      Map.entry("WireGuardSetAdapterLogging",
          List.of("BOOL", "WIREGUARD_ADAPTER_HANDLE", "WIREGUARD_ADAPTER_LOG_STATE")),
      Map.entry("WireGuardSetAdapterState", List.of("BOOL", "WIREGUARD_ADAPTER_HANDLE", "WIREGUARD_ADAPTER_STATE")),
      Map.entry("WireGuardGetAdapterState",
          List.of("BOOL", "WIREGUARD_ADAPTER_HANDLE", "WIREGUARD_ADAPTER_STATE *")),
      Map.entry("WireGuardSetConfiguration",
          List.of("BOOL", "WIREGUARD_ADAPTER_HANDLE", "const WIREGUARD_INTERFACE *", "DWORD")),
      Map.entry("WireGuardGetConfiguration",
          List.of("BOOL", "WIREGUARD_ADAPTER_HANDLE", "WIREGUARD_INTERFACE *", "DWORD *")));

  private static final Map<String, List<String>> NETIOAPI_H = Map.ofEntries(
      Map.entry("InitializeUnicastIpAddressEntry", List.of("VOID", "PMIB_UNICASTIPADDRESS_ROW")),
      Map.entry("CreateUnicastIpAddressEntry", List.of("NETIO_STATUS", "PMIB_UNICASTIPADDRESS_ROW")),
      Map.entry("InitializeIpInterfaceEntry", List.of("VOID", "PMIB_IPINTERFACE_ROW")),
      Map.entry("GetIpInterfaceEntry", List.of("NETIO_STATUS", "PMIB_IPINTERFACE_ROW")),
      Map.entry("SetIpInterfaceEntry", List.of("NETIO_STATUS", "PMIB_IPINTERFACE_ROW")));

  @Test
  void bindsExactlyTheExportsOfWireguardDll() {
    assertEquals(new TreeSet<>(MingwVectors.EXPORTS), methodNames(WireGuardNtLibrary.class));
    assertEquals(new TreeSet<>(MingwVectors.EXPORTS), new TreeSet<>(WIREGUARD_H.keySet()));
  }

  @Test
  void wireguardSignaturesMatchTheHeader() {
    assertEquals(prototypes(WIREGUARD_H), signatures(WireGuardNtLibrary.class));
  }

  @Test
  void ipHelperSignaturesMatchTheHeader() {
    assertEquals(prototypes(NETIOAPI_H), signatures(IpHelperLibrary.class));
  }

  /** WIREGUARD_LOGGER_CALLBACK: (WIREGUARD_LOGGER_LEVEL Level, DWORD64 Timestamp, LPCWSTR Message). */
  @Test
  void loggerCallbackMatchesTheHeader() throws Exception {
    Method invoke = WireGuardNtLibrary.LoggerCallback.class.getMethod("invoke", int.class, long.class, WString.class);
    assertEquals(void.class, invoke.getReturnType());
  }

  /**
   * Each C type has the size of the Java value JNA passes for it on 64-bit Windows: BOOL and enums
   * as 32-bit ints (JNA's boolean is a 32-bit int), DWORD64 and NET_LUID as 64-bit, GUID as the
   * 16-byte structure, handles as pointers (a 64-bit JVM), WCHAR as the UTF-16 unit WString carries on
   * Windows.
   */
  @Test
  void cTypeSizesMatchTheJavaTypes() {
    int[] javaSizes = {Integer.BYTES, Integer.BYTES, Long.BYTES, Integer.BYTES, Integer.BYTES, Integer.BYTES,
        Long.BYTES, new Guid.GUID().size(), Character.BYTES, Native.POINTER_SIZE, Integer.BYTES};
    assertArrayEquals(MingwVectors.SIGNATURE_TYPE_SIZES, javaSizes);
  }

  private static Set<String> methodNames(Class<?> binding) {
    return Arrays.stream(binding.getDeclaredMethods())
        .filter(method -> !method.isDefault() && !java.lang.reflect.Modifier.isStatic(method.getModifiers()))
        .map(Method::getName)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Map<String, String> signatures(Class<?> binding) {
    Map<String, String> result = new TreeMap<>();
    for (Method method : binding.getDeclaredMethods()) {
      if (!method.isDefault() && !java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
        result.put(method.getName(), method.getReturnType().getName() + Arrays.stream(method.getParameterTypes())
            .map(Class::getName).collect(Collectors.joining(", ", "(", ")")));
      }
    }
    return result;
  }

  private static Map<String, String> prototypes(Map<String, List<String>> header) {
    Map<String, String> result = new TreeMap<>();
    header.forEach((name, types) -> result.put(name, JAVA_TYPE.get(types.get(0)).getName()
        + types.subList(1, types.size()).stream().map(type -> JAVA_TYPE.get(type).getName())
            .collect(Collectors.joining(", ", "(", ")"))));
    return result;
  }
}
