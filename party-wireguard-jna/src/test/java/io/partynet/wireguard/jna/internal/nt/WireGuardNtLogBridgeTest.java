package io.partynet.wireguard.jna.internal.nt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.jna.WString;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class WireGuardNtLogBridgeTest {

  @Test
  void eachDllLevelGoesToTheMatchingSlf4jLevel() {
    List<String> logged = new ArrayList<>();
    Logger recorder = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
        (proxy, method, args) -> {
          logged.add(method.getName() + " " + String.valueOf(args[0]).replace("{}", String.valueOf(args[1])));
          return null;
        });
    WireGuardNtLogBridge bridge = new WireGuardNtLogBridge(recorder);

    bridge.invoke(WireGuardNtLibrary.LOG_INFO, 0, new WString("Creating adapter"));
    bridge.invoke(WireGuardNtLibrary.LOG_WARN, 0, new WString("Reboot required"));
    bridge.invoke(WireGuardNtLibrary.LOG_ERR, 0, new WString("Failed to load driver"));
    bridge.invoke(WireGuardNtLibrary.LOG_ERR, 0, null);

    assertEquals(List.of("info wireguard-nt: Creating adapter", "warn wireguard-nt: Reboot required",
        "error wireguard-nt: Failed to load driver", "error wireguard-nt: "), logged);
  }
}
