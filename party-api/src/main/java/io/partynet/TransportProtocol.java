package io.partynet;

/**
 * The transport a {@link PortExposure} or {@link TransportForward} carries.
 *
 * <p>Immutable and thread-safe.
 */
public enum TransportProtocol {
  /** TCP: reliable, ordered byte streams over connections. */
  TCP,
  /** UDP: individual datagrams, without connections. */
  UDP
}
