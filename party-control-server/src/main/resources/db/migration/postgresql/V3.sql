-- party events (numbered, written in the transaction that changed the party) and members' last-seen times, for instances that share the database
CREATE TABLE party_events (party_id TEXT NOT NULL, seq BIGINT NOT NULL, frame TEXT NOT NULL,
  recipients TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (party_id, seq));
CREATE INDEX party_events_created_at ON party_events (created_at);
-- when each member was last heard from (a heartbeat may reach any instance; the cleanup reads this)
CREATE TABLE member_seen (party_id TEXT NOT NULL, peer_id TEXT NOT NULL, last_seen TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (party_id, peer_id));
CREATE INDEX member_seen_last_seen ON member_seen (last_seen);
