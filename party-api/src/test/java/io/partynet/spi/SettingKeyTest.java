package io.partynet.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The ready-made keys' rules: what they accept and how they say what they refuse. */
class SettingKeyTest {

  @Test
  void anHttpUrlKeyTakesEmptyOrAnAbsoluteHttpUrl() {
    SettingKey<String> key = SettingKey.ofHttpUrl("control.server-url");
    assertEquals("", key.defaultValue());
    assertEquals("https://party.example:8443", key.parse("https://party.example:8443"));
    assertEquals("", key.parse(""));
    for (String bad : List.of("ftp://party.example", "party.example", "http:///nohost", "/relative")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> key.parse(bad), bad);
      assertTrue(e.getMessage().contains("control.server-url") && e.getMessage().contains("http(s) URL"), e.getMessage());
    }
  }

  @Test
  void anHttpUrlsKeyTakesAtMostItsLimitOfAbsoluteHttpUrls() {
    SettingKey<List<String>> key = SettingKey.ofHttpUrls("control.server-urls", 2);
    assertEquals(List.of(), key.defaultValue());
    assertEquals(List.of("http://a.example", "https://b.example:1"), key.parse("http://a.example,https://b.example:1"));
    assertThrows(IllegalArgumentException.class, () -> key.parse("http://a.example,http://b.example,http://c.example"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> key.parse("http://a.example,ws://b.example"));
    assertTrue(e.getMessage().contains("at most 2 absolute http(s) URLs"), e.getMessage());
  }

  @Test
  void anAddressKeyRefusesHostNames() {
    SettingKey<String> key = SettingKey.ofAddress("network.advertise-address");
    assertEquals("192.168.1.20", key.parse("192.168.1.20"));
    assertEquals("fd00::1", key.parse("fd00::1"));
    assertThrows(IllegalArgumentException.class, () -> key.parse("party.example"));
  }
}
