package io.partynet.core.internal.nat.discovery;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

/**
 * Names the network this host sits on, so a NAT classification can be reused when the host comes
 * back to it: a hash of the host's own addresses (loopback, link-local and the party interface
 * excluded) and its default gateways. A laptop that moves from home to a café gets another name;
 * a restart at home gets the same one. The hash keeps addresses out of the cache file.
 *
 * <p>Stateless and thread-safe.
 */
public final class NetworkFingerprint {
  private static final Path IPV4_ROUTES = Path.of("/proc/net/route");
  private static final int GATEWAY_COLUMN = 2;
  private static final int DESTINATION_COLUMN = 1;

  private NetworkFingerprint() {}

  /**
   * The current network's name; empty when the host has no address at all (offline), which must
   * not be cached.
   *
   * @param partyInterface the name of the party's own interface, whose address says nothing about the network
   */
  public static String current(String partyInterface) {
    TreeSet<String> parts = new TreeSet<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp() || nic.isLoopback() || nic.getName().equals(partyInterface)) {
          continue;
        }
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          if (!address.isLinkLocalAddress() && !address.isLoopbackAddress()) {
            parts.add("a " + address.getHostAddress().replaceAll("%.*", ""));
          }
        }
      }
    } catch (SocketException e) {
      return "";
    }
    if (parts.isEmpty()) {
      return "";
    }
    for (String gateway : defaultGateways()) {
      parts.add("g " + gateway);
    }
    return hash(String.join("\n", parts));
  }

  /** The IPv4 default routes' gateways (Linux; nothing elsewhere, where the addresses alone name the network). */
  static List<String> defaultGateways() {
    List<String> gateways = new ArrayList<>();
    if (!Files.isReadable(IPV4_ROUTES)) {
      return gateways;
    }
    try {
      for (String line : Files.readAllLines(IPV4_ROUTES, StandardCharsets.US_ASCII)) {
        String[] columns = line.trim().split("\\s+");
        if (columns.length > GATEWAY_COLUMN && columns[DESTINATION_COLUMN].equals("00000000")) {
          gateways.add(columns[0] + " " + columns[GATEWAY_COLUMN]);
        }
      }
    } catch (IOException e) {
      // Unreadable routes: the addresses alone name the network.
    }
    return gateways;
  }

  private static String hash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
    }
  }
}
