/** The {@code remote} control plane: a client of party-control-server, found through {@link io.partynet.spi.ControlPlaneProvider}. */
package io.partynet.remote;
