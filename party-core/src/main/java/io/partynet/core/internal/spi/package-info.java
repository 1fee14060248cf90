/**
 * Discovery and selection of the pluggable parts (network backends, control planes) through
 * {@link java.util.ServiceLoader}, with an explicit setting winning over discovery.
 */
package io.partynet.core.internal.spi;
