-- Several provincial sources (docs/sources.md): a provincial record names the source it was read from, so a key
-- two sources give is settled by the rule of moves and duplicates; each source keeps its own cursor. NULL source:
-- the one unnamed provincial source of a configuration without a list, and every national record.
ALTER TABLE records ADD COLUMN source TEXT;

CREATE TABLE source_cursors (
  source     TEXT    PRIMARY KEY,
  value      TEXT    NOT NULL,
  updated_at INTEGER NOT NULL
);
