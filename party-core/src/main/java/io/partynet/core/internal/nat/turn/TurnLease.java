package io.partynet.core.internal.nat.turn;

import java.time.Instant;
import java.util.Objects;

/** A TURN credential and when it stops working; {@code expiresAt} null: it does not expire. */
record TurnLease(TurnCredentials credentials, Instant expiresAt) {
  TurnLease {
    Objects.requireNonNull(credentials, "credentials");
  }
}
