/** Storage: SQLite and PostgreSQL stores, their shared SQL, schema migrations, store locations and party codes. */
package io.partynet.server.internal.store;
