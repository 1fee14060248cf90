package io.partynet;

/** The transport an {@link PortExposure} or {@link TransportForward} carries. */
public enum TransportProtocol {
  TCP,
  UDP
}
