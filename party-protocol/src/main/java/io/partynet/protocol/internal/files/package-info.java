/**
 * Files the SDK keeps on the device, written the same way by party-core and by the remote
 * control-plane client (which cannot depend on core): atomic replacement ({@link
 * io.partynet.protocol.internal.files.AtomicFiles}) and moving a corrupt file aside ({@link
 * io.partynet.protocol.internal.files.Quarantine}). Internal: not part of the public API.
 */
package io.partynet.protocol.internal.files;
