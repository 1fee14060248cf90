-- join idempotency keys shared by every instance: which keys admitted each membership, and until when a key of an ended membership is refused
CREATE TABLE join_keys (peer_id TEXT NOT NULL, join_key TEXT NOT NULL, party_id TEXT NOT NULL,
  admitted_at TIMESTAMPTZ NOT NULL, withdrawn_until TIMESTAMPTZ, PRIMARY KEY (peer_id, join_key));
CREATE INDEX join_keys_party ON join_keys (party_id, peer_id);
CREATE INDEX join_keys_withdrawn_until ON join_keys (withdrawn_until);
-- (the same migration) a peer's parties are counted from member_seen when it joins through any instance
CREATE INDEX member_seen_peer ON member_seen (peer_id);
