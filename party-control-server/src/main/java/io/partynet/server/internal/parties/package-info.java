/** Party operations on one instance: the core registry written through to the store, kicks and join idempotency keys. */
package io.partynet.server.internal.parties;
