-- invite codes: each party's codes as a JSON array (null for parties stored before invites existed)
ALTER TABLE parties ADD COLUMN invites TEXT;
