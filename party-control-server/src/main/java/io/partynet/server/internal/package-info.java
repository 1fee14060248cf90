/**
 * The control-plane server: {@link io.partynet.server.internal.ServerMain} (command line) and
 * {@link io.partynet.server.internal.ControlServer} (start, wiring and graceful shutdown), with the
 * instance lease and the maintenance tasks; this package wires the sub-packages, which depend
 * downwards only: {@code http} on {@code parties}, {@code accounts}, {@code events} and
 * {@code store}; {@code parties.shared} on {@code parties}, {@code accounts}, {@code events} and
 * {@code store}; {@code parties} on {@code events} and {@code store}; {@code accounts} on
 * {@code store}; {@code events} and {@code store} on none (see docs/server.md, "Code layout").
 */
package io.partynet.server.internal;
