/** The server's JSON log format ({@code --log-format json}): an SLF4J provider writing one JSON object per line. */
package io.partynet.server.internal.logging;
