/** The remote client's machinery: REST transport with retries, the event stream, backoff and token storage. */
package io.partynet.remote.internal;
