-- Several provincial sources (docs/sources.md): a provincial record names the source it was read from, so a key
-- two sources give is settled by the rule of moves and duplicates; each source keeps its own cursor. NULL source:
-- the one unnamed provincial source of a configuration without a list, and every national record.
ALTER TABLE records ADD COLUMN source TEXT;

-- The unit successions an evaluation used (a SHA-256 of their canonical text; '' for none): when the configured ones
-- differ from the last evaluated run's, the next cycle evaluates every dossier (docs/rules.md#unit-successions).
ALTER TABLE runs ADD COLUMN successions TEXT;

CREATE TABLE source_cursors (
  source     TEXT    PRIMARY KEY,
  value      TEXT    NOT NULL,
  updated_at INTEGER NOT NULL
);
