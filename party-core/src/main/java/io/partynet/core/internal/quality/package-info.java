/**
 * Link quality: round-trip time, jitter and loss to every member, measured by probes through the
 * tunnel ({@link io.partynet.core.internal.connection.LatencyProber}), smoothed over a window
 * ({@link io.partynet.core.internal.quality.QualityWindow}), and reported when they change
 * meaningfully ({@link io.partynet.core.internal.quality.ChangeFilter}). See docs/launcher-guide.md.
 */
package io.partynet.core.internal.quality;
