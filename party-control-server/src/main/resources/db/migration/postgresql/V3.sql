-- party events: every numbered event, written in the transaction that changed the party, for instances that share the database
CREATE TABLE party_events (party_id TEXT NOT NULL, seq BIGINT NOT NULL, frame TEXT NOT NULL,
  recipients TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (party_id, seq));
CREATE INDEX party_events_created_at ON party_events (created_at);
