-- The audit chain becomes keyed (README, "Audit"). An existing chain is kept as it is: the first dvcrecon that
-- writes to the ledger holding audit.key_file checks it, then appends one 'chain_keyed' event MACed with the key,
-- which vouches for everything before it; from there on every event hash is HMAC-SHA-256 with the key.
--
-- events is rebuilt because SQLite cannot change a CHECK constraint in place: 'chain_keyed' is a new type, and
-- it is the one event about no finding (finding_id NULL). Ids are copied as they are, and AUTOINCREMENT's
-- high-water mark with them, so the id of a newest event deleted before this migration is still never reused.
CREATE TABLE events_keyed (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  finding_id INTEGER REFERENCES findings (id),
  at         INTEGER NOT NULL,
  run_id     INTEGER REFERENCES runs (id),
  type       TEXT    NOT NULL
                     CHECK (type IN ('opened', 'seen_changed', 'resolved', 'reopened', 'ack', 'chain_keyed')),
  from_state TEXT,
  to_state   TEXT    NOT NULL,
  cause      TEXT    NOT NULL,
  actor      TEXT,
  prev_hash  TEXT    NOT NULL,
  hash       TEXT    NOT NULL,
  CHECK ((type = 'chain_keyed') = (finding_id IS NULL))
);
INSERT INTO events_keyed (id, finding_id, at, run_id, type, from_state, to_state, cause, actor, prev_hash, hash)
  SELECT id, finding_id, at, run_id, type, from_state, to_state, cause, actor, prev_hash, hash FROM events;
INSERT INTO sqlite_sequence (name, seq)
  SELECT 'events_keyed', seq FROM sqlite_sequence
  WHERE name = 'events' AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'events_keyed');
UPDATE sqlite_sequence
  SET seq = max(seq, COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0))
  WHERE name = 'events_keyed';
DROP TABLE events;
ALTER TABLE events_keyed RENAME TO events;
CREATE INDEX events_by_finding ON events (finding_id, id);
-- Finding the keying point must not scan the whole chain on every write.
CREATE INDEX events_chain_keyed ON events (id) WHERE type = 'chain_keyed';

-- HMAC-SHA-256 of the head (event id and hash) once the chain is keyed, so the head cannot be set back to an
-- older event to hide deleted ones; NULL before.
ALTER TABLE chain_head ADD COLUMN mac TEXT;

-- records.hash is the SHA-256 of the body until the chain is keyed, then its HMAC-SHA-256 with the audit key.
