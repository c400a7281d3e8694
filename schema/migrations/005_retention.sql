-- Retention (configuration key body_retention_days): the stored body of a record may be removed once its dossier
-- has been closed, and without any finding, for longer than the configured time. The facts columns stay (the rules
-- read only those), and so does the hash of the body that was stored, which a copy kept elsewhere (a backup) still
-- checks against. A record that changes again gets its new body and loses the mark.
ALTER TABLE records ADD COLUMN body_removed_at INTEGER;  -- NULL while record_bodies holds the body
