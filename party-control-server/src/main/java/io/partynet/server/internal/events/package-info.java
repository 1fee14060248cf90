/** Numbered party events: replay buffers, fan-out to the members' WebSockets and resume answers. */
package io.partynet.server.internal.events;
