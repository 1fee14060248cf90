package io.partynet.spi;

import io.partynet.PartyConfig;

/**
 * Makes a {@link NetworkBackend}; registered in
 * {@code META-INF/services/io.partynet.spi.NetworkBackendProvider}. {@code network.backend=NAME}
 * picks the provider of that name; {@code auto} picks the available one with the highest
 * {@link #priority()}. Thread-safe.
 */
public interface NetworkBackendProvider {

  /**
   * The {@code network.backend} value that selects this provider.
   *
   * @return a short lower-case name such as {@code netlink} or {@code embedded}
   */
  String name();

  /**
   * Whether this backend can run here (OS, kernel module, binary, privileges).
   *
   * @param config the member's configuration
   * @return true when {@link #create} will work
   */
  boolean isAvailable(PartyConfig config);

  /**
   * When not available: what is missing and how to get it, in one sentence.
   *
   * @param config the member's configuration
   * @return the sentence shown to the user
   */
  String unavailableReason(PartyConfig config);

  /**
   * The rank under {@code auto}: higher wins. Kernel backends rank above userspace, userspace
   * above embedded.
   *
   * @return the rank
   */
  int priority();

  /**
   * Makes the backend for one manager.
   *
   * @param config the member's configuration
   * @return a new backend, owned and closed by the manager
   */
  NetworkBackend create(PartyConfig config);
}
