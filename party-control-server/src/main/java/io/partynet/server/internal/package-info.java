/** The server's machinery: storage, accounts, event fan-out, rate limits and the HTTP/WebSocket routes. */
package io.partynet.server.internal;
