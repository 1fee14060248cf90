/** The SQLite settings database and the database-first loading of {@code PartyConfig}. Internal. */
package io.partynet.core.internal.settings;
