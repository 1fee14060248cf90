package io.partynet;

/**
 * Whether the member can talk to the control plane of its party right now. The data plane does
 * not depend on it: while the control plane is {@link #RECONNECTING}, the member keeps its party,
 * its interface and its tunnels to the members it knows, and resumes membership by itself when
 * the control plane answers again (see {@code docs/PARTY.md}, "Control-plane outages").
 *
 * <p>Immutable and thread-safe.
 */
public enum ControlPlaneState {
  /** The control plane answers: membership changes, heartbeats and events flow. */
  CONNECTED,
  /**
   * The control plane cannot be reached (or refused to start this member); the manager retries on
   * every heartbeat tick. A persisted party is kept, never dropped because of it; {@code create} and
   * {@code join} fail with {@link ControlPlaneUnavailableException} until it answers.
   */
  RECONNECTING
}
