package io.partynet.spi;

import io.partynet.PartyConfig;

/**
 * Makes a {@link NetworkBackend}; registered in
 * {@code META-INF/services/io.partynet.spi.NetworkBackendProvider}. {@code network.backend=NAME}
 * picks the provider of that name; {@code auto} picks the available one with the highest
 * {@link #priority()}. Thread-safe.
 */
public interface NetworkBackendProvider {

  String name();

  /** True when this backend can run here (OS, kernel module, binary, privileges). */
  boolean isAvailable(PartyConfig config);

  /** When not available: what is missing and how to get it, in one sentence. */
  String unavailableReason(PartyConfig config);

  /** Higher wins under {@code auto}. Kernel backends rank above userspace, userspace above embedded. */
  int priority();

  NetworkBackend create(PartyConfig config);
}
