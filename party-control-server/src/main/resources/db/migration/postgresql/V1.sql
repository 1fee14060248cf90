-- registrations, parties, kicks and the shutdown marker
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE peers (peer_id TEXT PRIMARY KEY, public_key TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE, registered_at TIMESTAMPTZ NOT NULL, last_used TIMESTAMPTZ NOT NULL);
CREATE TABLE parties (party_id TEXT PRIMARY KEY, seq BIGINT NOT NULL,
  state TEXT NOT NULL, updated_at TIMESTAMPTZ NOT NULL);
CREATE TABLE bans (party_id TEXT NOT NULL, peer_id TEXT NOT NULL,
  public_key TEXT NOT NULL, PRIMARY KEY (party_id, peer_id));
