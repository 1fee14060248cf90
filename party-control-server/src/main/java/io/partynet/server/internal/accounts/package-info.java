/** Registered peers and their bearer tokens (in memory and written through, or read from a shared database) and registration challenges. */
package io.partynet.server.internal.accounts;
