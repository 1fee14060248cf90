-- every code that names a party (its id and its invite codes, live or revoked): unique across the deployment, looked up by index
CREATE TABLE party_codes (code TEXT PRIMARY KEY, party_id TEXT NOT NULL);
CREATE INDEX party_codes_party ON party_codes (party_id);
INSERT INTO party_codes(code, party_id) SELECT party_id, party_id FROM parties ON CONFLICT DO NOTHING;
INSERT INTO party_codes(code, party_id)
  SELECT invite ->> 'code', p.party_id FROM parties p, json_array_elements(p.invites::json) invite
  WHERE p.invites IS NOT NULL ON CONFLICT DO NOTHING;
