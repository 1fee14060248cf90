/**
 * The local control plane: parties announced in a discovery file that several processes on one
 * machine (or a shared folder) read and replace under a file lock. Internal.
 */
package io.partynet.control.local.internal;
