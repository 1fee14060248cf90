/** Party operations on instances sharing one PostgreSQL database: transactions under the party's row lock and the feed of other instances' changes. */
package io.partynet.server.internal.parties.shared;
