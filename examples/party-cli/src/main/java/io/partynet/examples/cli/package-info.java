/**
 * {@code party}, a command-line launcher built on the SDK: runs a party member in the foreground
 * and talks to a running member from another terminal through a control socket in its home.
 */
package io.partynet.examples.cli;
