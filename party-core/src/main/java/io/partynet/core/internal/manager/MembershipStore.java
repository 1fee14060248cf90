package io.partynet.core.internal.manager;

import io.partynet.Party;
import io.partynet.spi.StatePersister;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the manager keeps across restarts, through the {@link StatePersister}: the local member's
 * stable peer id, the current party's id and the party itself.
 *
 * <p>Thread-safe (the persister is).
 */
final class MembershipStore {
  static final String PEER_ID = "manager.peer-id";
  static final String PARTY_ID = "manager.party-id";
  static final String PARTY = "manager.party";
  /** The control plane the party lives on, so a restart resumes it there and nowhere else. */
  static final String PARTY_PLANE = "manager.party-plane";
  /** The prefix length of the party's subnet, so the interface comes up before the control plane answers. */
  static final String PARTY_PREFIX = "manager.party-prefix";
  private static final String ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";
  private static final int ID_LENGTH = 16;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Logger LOG = LoggerFactory.getLogger(MembershipStore.class);

  private final StatePersister persister;

  MembershipStore(StatePersister persister) {
    this.persister = persister;
  }

  /** The persisted peer id, or a new random one (80 bits) that is persisted from now on. */
  String peerId() {
    Optional<String> stored = persister.read(PEER_ID, String.class)
        .filter(id -> id.matches("[A-Za-z0-9_-]{1,64}"));
    if (stored.isPresent()) {
      return stored.get();
    }
    StringBuilder id = new StringBuilder(ID_LENGTH);
    for (int i = 0; i < ID_LENGTH; i++) {
      id.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
    }
    persister.write(PEER_ID, id.toString());
    return id.toString();
  }

  /** The persisted current party, if any and if it is consistent with the persisted party id. */
  Optional<Party> party() {
    try {
      Optional<String> partyId = persister.read(PARTY_ID, String.class);
      Optional<Party> party = persister.read(PARTY, Party.class);
      if (partyId.isPresent() && party.isPresent() && party.get().id().equals(partyId.get())) {
        return party;
      }
      if (partyId.isPresent() != party.isPresent()) {
        LOG.warn("persisted party state is incomplete; starting without a party");
      }
    } catch (RuntimeException e) {
      LOG.warn("persisted party state cannot be read ({}); starting without a party", e.toString());
    }
    return Optional.empty();
  }

  void save(Party party) {
    persister.write(PARTY_ID, party.id());
    persister.write(PARTY, party);
  }

  /** Records where the current party lives: its control plane and the prefix length of its subnet. */
  void saveNetwork(String controlPlane, int prefixLength) {
    persister.write(PARTY_PLANE, controlPlane);
    persister.write(PARTY_PREFIX, prefixLength);
  }

  /** The control plane of the persisted party; empty text for a party persisted without it. */
  String partyPlane() {
    return read(PARTY_PLANE, String.class).orElse("");
  }

  /** The prefix length of the persisted party's subnet, if recorded. */
  Optional<Integer> prefixLength() {
    return read(PARTY_PREFIX, Integer.class).filter(bits -> bits > 0 && bits <= 30);
  }

  /** Forgets the party and makes that durable, so a crash right after leaving does not resume it. */
  void clear(Duration timeout) {
    persister.remove(PARTY_ID);
    persister.remove(PARTY);
    persister.remove(PARTY_PLANE);
    persister.remove(PARTY_PREFIX);
    flush(timeout);
  }

  private <T> Optional<T> read(String key, Class<T> type) {
    try {
      return persister.read(key, type);
    } catch (RuntimeException e) {
      LOG.warn("persisted {} cannot be read ({}); ignoring it", key, e.toString());
      return Optional.empty();
    }
  }

  void flush(Duration timeout) {
    try {
      Futures.await(persister.flush(), timeout, "flushing the party state");
    } catch (RuntimeException e) {
      LOG.warn("party state not flushed yet ({}); the persister keeps retrying", e.getMessage());
    }
  }
}
