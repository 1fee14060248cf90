/**
 * The service provider interface: what a control plane, a state persister, a network backend and a
 * NAT detector implement. Implementations are found with {@link java.util.ServiceLoader} through
 * their {@code *Provider} types and picked by configuration ({@code control.mode},
 * {@code network.backend}); applications normally never touch this package.
 */
package io.partynet.spi;
