package io.partynet.protocol.internal;

import io.partynet.Names;
import io.partynet.Peer;
import java.util.Objects;

/**
 * Body of {@code POST /v1/parties}: the party's name and the host's own entry (which must be the
 * authenticated peer). Immutable and thread-safe.
 */
public record CreatePartyRequest(String name, Peer host) {
  public CreatePartyRequest {
    Names.requirePartyName(name);
    Objects.requireNonNull(host, "host");
  }
}
