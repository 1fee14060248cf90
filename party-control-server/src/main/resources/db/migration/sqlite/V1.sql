-- registrations, parties, kicks and the shutdown marker
-- IF NOT EXISTS: databases written before versioned migrations already hold these tables.
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS peers (peer_id TEXT PRIMARY KEY, public_key TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE, registered_at TEXT NOT NULL, last_used TEXT);
CREATE TABLE IF NOT EXISTS parties (party_id TEXT PRIMARY KEY, seq INTEGER NOT NULL,
  state TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS bans (party_id TEXT NOT NULL, peer_id TEXT NOT NULL,
  public_key TEXT NOT NULL, PRIMARY KEY (party_id, peer_id));
