package io.partynet.core.internal.socks;

import java.util.List;

/**
 * The party's members by display name, for CONNECT requests that name their destination (address
 * type 3): a game or browser given {@code bob:25565} reaches bob's virtual IP. Thread-safe.
 */
@FunctionalInterface
public interface MemberNames {
  /** Knows no names: only dotted IPv4 destinations are carried. */
  MemberNames NONE = name -> List.of();

  /**
   * The virtual IPs of the members whose display name is {@code name}, ignoring case.
   *
   * @return empty when no member has that name (or there is no party); several when names repeat
   */
  List<String> virtualIpsNamed(String name);
}
