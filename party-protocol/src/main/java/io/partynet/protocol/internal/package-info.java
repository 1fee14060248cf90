/**
 * The wire types of control-plane protocol v1, shared by the remote client ({@code party-control-remote})
 * and the server ({@code party-control-server}); see docs/control-plane-protocol.md. Golden vectors of
 * every message live in this module's test resources.
 */
package io.partynet.protocol.internal;
