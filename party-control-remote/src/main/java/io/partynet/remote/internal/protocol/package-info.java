/** The wire types of control-plane protocol v1, shared by the remote client and the server (see docs/control-plane-protocol.md). */
package io.partynet.remote.internal.protocol;
