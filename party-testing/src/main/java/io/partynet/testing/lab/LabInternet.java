package io.partynet.testing.lab;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The internet part of a {@link Lab}, as lab.md describes it: a bridge, coturn with two public
 * addresses (STUN with RFC 5780, TURN with long-term credentials), and home networks with real NAT
 * routers. Used through {@link Lab#addSite} and friends. Guarded by the lab's lock.
 */
final class LabInternet {
  private final Lab lab;
  private final String bridgeNamespace;
  private final String stunNamespace;
  private final List<LabSite> sites = new ArrayList<>();
  /** Global IPv6 addresses of the dual-stack sites' hosts. */
  private final Map<LabSite, String> ipv6Hosts = new HashMap<>();
  private boolean ipv6Core;

  private LabInternet(Lab lab) {
    this.lab = lab;
    this.bridgeNamespace = lab.addNamespace("inet");
    this.stunNamespace = lab.addNamespace("stun");
  }

  static LabInternet build(Lab lab) {
    LabInternet internet = new LabInternet(lab);
    lab.ip(internet.bridgeNamespace, "link", "add", lab.prefix() + "br", "type", "bridge");
    lab.ip(internet.bridgeNamespace, "link", "set", lab.prefix() + "br", "up");
    String wan = internet.attach(internet.stunNamespace, "s");
    lab.ip(internet.stunNamespace, "addr", "add", Lab.STUN_PRIMARY + "/24", "dev", wan);
    lab.ip(internet.stunNamespace, "addr", "add", Lab.STUN_ALTERNATE + "/24", "dev", wan);
    internet.startCoturn();
    return internet;
  }

  String bridgeNamespace() {
    return bridgeNamespace;
  }

  String stunNamespace() {
    return stunNamespace;
  }

  List<LabSite> sites() {
    return List.copyOf(sites);
  }

  private void startCoturn() {
    Path userDb = lab.workDir().resolve("turnuserdb.sqlite");
    LabProcess coturn = lab.start(stunNamespace, "coturn",
        "turnserver", "-n",
        "--listening-ip", Lab.STUN_PRIMARY, "--listening-ip", Lab.STUN_ALTERNATE,
        "--listening-port", Integer.toString(Lab.STUN_PORT), "--alt-listening-port", Integer.toString(Lab.STUN_ALT_PORT),
        "--relay-ip", Lab.STUN_PRIMARY,
        "--lt-cred-mech", "--user", Lab.TURN_USER + ":" + Lab.TURN_PASSWORD, "--realm", Lab.TURN_REALM,
        "--fingerprint", "--userdb", userDb.toString(),
        "--no-tls", "--no-dtls", "--no-cli", "--log-file", "stdout");
    List<String> expected = List.of(
        Lab.STUN_PRIMARY + ":" + Lab.STUN_PORT, Lab.STUN_PRIMARY + ":" + Lab.STUN_ALT_PORT,
        Lab.STUN_ALTERNATE + ":" + Lab.STUN_PORT, Lab.STUN_ALTERNATE + ":" + Lab.STUN_ALT_PORT);
    Lab.await("coturn to bind its four UDP sockets", Duration.ofSeconds(15), () -> {
      if (!coturn.isAlive()) {
        throw new LabException("turnserver exited:\n" + coturn.output());
      }
      String sockets = lab.run(stunNamespace, "ss", "-ulnH").orThrow().output();
      return expected.stream().allMatch(sockets::contains);
    });
  }

  LabSite addSite(NatKind kind) {
    int n = sites.size() + 1;
    if (n > 40) {
      throw new LabException("a lab holds at most 40 sites");
    }
    String publicAddress = "203.0.113." + (10 + n);
    String host = lab.addNamespace("h" + n);
    LabSite site;
    if (kind == NatKind.OPEN) {
      String eth = attach(host, "h" + n);
      lab.ip(host, "addr", "add", publicAddress + "/24", "dev", eth);
      site = new LabSite(kind, host, null, publicAddress, publicAddress);
    } else {
      String router = lab.addNamespace("r" + n);
      String wan = attach(router, "r" + n);
      lab.ip(router, "addr", "add", publicAddress + "/24", "dev", wan);
      String lan = lab.prefix() + "l" + n;
      String eth = lab.prefix() + "e" + n;
      lab.veth(router, lan, host, eth);
      String routerLan = "192.168." + n + ".1";
      String hostAddress = "192.168." + n + ".2";
      lab.ip(router, "addr", "add", routerLan + "/24", "dev", lan);
      lab.ip(host, "addr", "add", hostAddress + "/24", "dev", eth);
      lab.ip(host, "route", "add", "default", "via", routerLan);
      configureRouter(router, kind, wan, lan, hostAddress);
      site = new LabSite(kind, host, router, hostAddress, publicAddress);
    }
    sites.add(site);
    return site;
  }

  /**
   * One home network of {@code kind} (not OPEN) with {@code hosts} hosts on one LAN bridge behind
   * its router (192.168.n.2, .3, ...). The router does not hairpin: a host that sends to the
   * router's public address does not reach the other host, as with most home routers.
   */
  List<LabSite> addSharedSite(NatKind kind, int hosts) {
    if (kind == NatKind.OPEN || kind == NatKind.FULL_CONE || hosts < 2 || hosts > 8) {
      throw new IllegalArgumentException("a shared site has 2..8 hosts behind a port-restricted or symmetric NAT");
    }
    int n = sites.size() + 1;
    if (n + hosts > 41) {
      throw new LabException("a lab holds at most 40 sites");
    }
    String publicAddress = "203.0.113." + (10 + n);
    String router = lab.addNamespace("r" + n);
    String wan = attach(router, "r" + n);
    lab.ip(router, "addr", "add", publicAddress + "/24", "dev", wan);
    String bridge = lab.prefix() + "k" + n;
    lab.ip(router, "link", "add", bridge, "type", "bridge");
    lab.ip(router, "link", "set", bridge, "up");
    String routerLan = "192.168." + n + ".1";
    lab.ip(router, "addr", "add", routerLan + "/24", "dev", bridge);
    List<LabSite> added = new ArrayList<>();
    for (int i = 0; i < hosts; i++) {
      String host = lab.addNamespace("h" + n + "x" + i);
      String lan = lab.prefix() + "l" + n + "x" + i;
      String eth = lab.prefix() + "e" + n + "x" + i;
      lab.veth(router, lan, host, eth);
      lab.ip(router, "link", "set", lan, "master", bridge);
      String hostAddress = "192.168." + n + "." + (2 + i);
      lab.ip(host, "addr", "add", hostAddress + "/24", "dev", eth);
      lab.ip(host, "route", "add", "default", "via", routerLan);
      added.add(new LabSite(kind, host, router, hostAddress, publicAddress));
    }
    configureRouter(router, kind, wan, bridge, added.get(0).hostAddress());
    sites.addAll(added);
    return List.copyOf(added);
  }

  /**
   * A home network of {@code kind} (not OPEN) that also has global IPv6, as many home lines do:
   * the router NATs IPv4 as usual, routes the site's 2001:db8:n::/64 without NAT, and runs the
   * stateful IPv6 firewall of a home router (nothing unsolicited comes in; two hosts that send to
   * each other at once get through). The internet bridge's namespace routes between the sites'
   * prefixes (2001:db8::/64 on the bridge, a site's router at 2001:db8::1:n).
   */
  LabSite addDualStackSite(NatKind kind) {
    if (kind == NatKind.OPEN) {
      throw new IllegalArgumentException("a dual-stack site has a router: choose a NAT kind other than OPEN");
    }
    LabSite site = addSite(kind);
    int n = sites.size();
    startIpv6Core();
    String router = site.routerNamespace();
    String wan = lab.prefix() + "wr" + n;
    String lan = lab.prefix() + "l" + n;
    String eth = lab.prefix() + "e" + n;
    String routerWan = "2001:db8::1:" + n;
    String prefix = "2001:db8:" + n + "::";
    String host = prefix + "2";
    lab.run(router, "sysctl", "-qw", "net.ipv6.conf.all.forwarding=1").orThrow();
    lab.ip(router, "-6", "addr", "add", routerWan + "/64", "dev", wan, "nodad");
    lab.ip(router, "-6", "addr", "add", prefix + "1/64", "dev", lan, "nodad");
    lab.ip(router, "-6", "route", "add", "default", "via", "2001:db8::1", "dev", wan);
    lab.ip(site.hostNamespace(), "-6", "addr", "add", host + "/64", "dev", eth, "nodad");
    lab.ip(site.hostNamespace(), "-6", "route", "add", "default", "via", prefix + "1", "dev", eth);
    lab.ip(bridgeNamespace, "-6", "route", "add", prefix + "/64", "via", routerWan);
    ip6tables(router, "-P", "FORWARD", "DROP");
    ip6tables(router, "-A", "FORWARD", "-i", lan, "-j", "ACCEPT");
    ip6tables(router, "-A", "FORWARD", "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT");
    // Neighbour discovery must pass, or the router cannot find the host at all.
    ip6tables(router, "-A", "FORWARD", "-p", "ipv6-icmp", "-j", "ACCEPT");
    ipv6Hosts.put(site, host);
    return site;
  }

  /** The global IPv6 address of a dual-stack site's host. */
  Optional<String> ipv6Address(LabSite site) {
    return Optional.ofNullable(ipv6Hosts.get(site));
  }

  private void startIpv6Core() {
    if (ipv6Core) {
      return;
    }
    lab.run(bridgeNamespace, "sysctl", "-qw", "net.ipv6.conf.all.forwarding=1").orThrow();
    lab.ip(bridgeNamespace, "-6", "addr", "add", "2001:db8::1/64", "dev", lab.prefix() + "br", "nodad");
    ipv6Core = true;
  }

  private void ip6tables(String namespace, String... args) {
    List<String> command = new ArrayList<>(List.of("ip6tables", "-w"));
    command.addAll(List.of(args));
    lab.run(namespace, command.toArray(String[]::new)).orThrow();
  }

  /** The firewall and NAT of lab.md: INPUT and FORWARD dropped but for the LAN and established flows. */
  private void configureRouter(String router, NatKind kind, String wan, String lan, String hostAddress) {
    lab.run(router, "sysctl", "-qw", "net.ipv4.ip_forward=1").orThrow();
    iptables(router, "-P", "INPUT", "DROP");
    iptables(router, "-A", "INPUT", "-i", lan, "-j", "ACCEPT");
    iptables(router, "-A", "INPUT", "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT");
    iptables(router, "-P", "FORWARD", "DROP");
    iptables(router, "-A", "FORWARD", "-i", lan, "-j", "ACCEPT");
    iptables(router, "-A", "FORWARD", "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT");
    switch (kind) {
      case PORT_RESTRICTED_CONE -> iptables(router, "-t", "nat", "-A", "POSTROUTING", "-o", wan, "-j", "MASQUERADE");
      case SYMMETRIC -> iptables(router, "-t", "nat", "-A", "POSTROUTING", "-o", wan, "-j", "MASQUERADE",
          "--random-fully");
      case FULL_CONE -> {
        iptables(router, "-t", "nat", "-A", "POSTROUTING", "-o", wan, "-j", "MASQUERADE");
        iptables(router, "-t", "nat", "-A", "PREROUTING", "-i", wan, "-p", "udp", "-j", "DNAT",
            "--to-destination", hostAddress);
        iptables(router, "-A", "FORWARD", "-m", "conntrack", "--ctstate", "DNAT", "-j", "ACCEPT");
      }
      case OPEN -> throw new IllegalArgumentException("an open site has no router");
    }
  }

  /** Connects {@code namespace} to the internet bridge; returns its interface name there. */
  private String attach(String namespace, String role) {
    String bridgeSide = lab.prefix() + "b" + role;
    String inside = lab.prefix() + "w" + role;
    lab.veth(bridgeNamespace, bridgeSide, namespace, inside);
    lab.ip(bridgeNamespace, "link", "set", bridgeSide, "master", lab.prefix() + "br");
    return inside;
  }

  private void iptables(String namespace, String... args) {
    List<String> command = new ArrayList<>(List.of("iptables", "-w"));
    command.addAll(List.of(args));
    lab.run(namespace, command.toArray(String[]::new)).orThrow();
  }
}
