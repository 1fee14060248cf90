/** The HTTP front end: Javalin on Jetty, request bounds and rate limits, the protocol's routes, metrics and ICE servers. */
package io.partynet.server.internal.http;
