package io.partynet.protocol.internal;

import io.partynet.InviteOptions;
import java.time.Duration;

/**
 * Body of {@code POST /v1/parties/{party}/invites} (host only, revision 3): how long the new code
 * admits members and how many. Both optional: absent means no limit. Immutable and thread-safe.
 *
 * @param ttlSeconds lifetime in seconds, 1..{@link InviteOptions#MAX_TTL}, or null
 * @param maxUses members it admits, 0 or null for no limit, at most {@link InviteOptions#MAX_USES}
 */
public record CreateInviteRequest(Long ttlSeconds, Integer maxUses) {
  public CreateInviteRequest {
    toOptions(ttlSeconds, maxUses);
  }

  /** The request for {@code options}. */
  public static CreateInviteRequest of(InviteOptions options) {
    return new CreateInviteRequest(options.timeLimit().map(Duration::toSeconds).orElse(null),
        options.maxUses() == 0 ? null : options.maxUses());
  }

  /** The options this request asks for. */
  public InviteOptions toOptions() {
    return toOptions(ttlSeconds, maxUses);
  }

  private static InviteOptions toOptions(Long ttlSeconds, Integer maxUses) {
    if (ttlSeconds != null && (ttlSeconds < 1 || ttlSeconds > InviteOptions.MAX_TTL.toSeconds())) {
      throw new IllegalArgumentException("ttlSeconds must be 1.." + InviteOptions.MAX_TTL.toSeconds() + ": " + ttlSeconds);
    }
    return new InviteOptions(ttlSeconds == null ? null : Duration.ofSeconds(ttlSeconds),
        maxUses == null ? 0 : maxUses);
  }
}
