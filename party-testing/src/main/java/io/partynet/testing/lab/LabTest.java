package io.partynet.testing.lab;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class or method that builds network namespaces: it is tagged {@code lab} (run or
 * leave them out with {@code -Dgroups=lab} / {@code -DexcludedGroups=lab}) and skipped, with a
 * message naming what is missing, only where this machine lacks Linux, root, network namespaces or
 * one of the tools {@link #needs()} and {@link #tools()} name. Where everything is present the
 * test runs, and a lab that then fails to build fails the test.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Tag("lab")
@ExtendWith(LabCondition.class)
public @interface LabTest {

  /** The kinds of lab the test builds; {@link Need#NAMESPACES} is always checked. */
  Need[] needs() default {Need.NAMESPACES};

  /** Further commands the test runs (e.g. {@code "ping"}, {@code "turnutils_natdiscovery"}). */
  String[] tools() default {};

  /** What a kind of lab needs on this machine. */
  enum Need {
    /** Root and {@code ip} (iproute2). */
    NAMESPACES(List.of("ip"), false),
    /** {@link Lab#withInternet()}: NAT routers (iptables, conntrack) and coturn. */
    NAT(List.of("iptables", "conntrack", "turnserver", "ss"), true),
    /** wireguard-go interfaces configured with wg. */
    WIREGUARD_GO(List.of("wireguard-go", "wg"), true);

    private final List<String> tools;
    private final boolean tun;

    Need(List<String> tools, boolean tun) {
      this.tools = tools;
      this.tun = tun;
    }

    /** The commands this kind of lab runs. */
    public List<String> tools() {
      return tools;
    }

    /** Whether it needs /dev/net/tun (wireguard-go, and coturn's lab neighbours). */
    public boolean needsTun() {
      return tun;
    }
  }
}
