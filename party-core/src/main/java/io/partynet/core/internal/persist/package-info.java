/** Durable local state: atomic file replacement and the write-behind {@code StatePersister}. Internal. */
package io.partynet.core.internal.persist;
