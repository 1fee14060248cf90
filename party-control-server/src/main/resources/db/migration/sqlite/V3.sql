-- every code that names a party (its id and its invite codes, live or revoked): unique, looked up by index
CREATE TABLE party_codes (code TEXT PRIMARY KEY, party_id TEXT NOT NULL);
CREATE INDEX party_codes_party ON party_codes (party_id);
INSERT OR IGNORE INTO party_codes(code, party_id) SELECT party_id, party_id FROM parties;
INSERT OR IGNORE INTO party_codes(code, party_id)
  SELECT json_extract(invite.value, '$.code'), p.party_id FROM parties p, json_each(p.invites) invite
  WHERE p.invites IS NOT NULL;
