-- Look-ups of a national side that can only look dossiers up by code (docs/lookups.md): one row per key looked up,
-- written in the batch that stores what the look-up found, so a restart resumes where the passes stopped and the
-- evaluation knows which absences on national are known (found = 0) and which are not yet (no row).
CREATE TABLE national_lookups (
  key          TEXT    PRIMARY KEY,
  looked_up_at INTEGER NOT NULL,                          -- T of the run that looked it up
  run_id       INTEGER NOT NULL REFERENCES runs (id),
  found        INTEGER NOT NULL CHECK (found IN (0, 1)),  -- 0: national answered that it has no such dossier
  covered_run  INTEGER NOT NULL                           -- the provincial record's changed_run the answer is for
) WITHOUT ROWID;
CREATE INDEX national_lookups_by_time ON national_lookups (looked_up_at);
CREATE INDEX national_lookups_by_run ON national_lookups (run_id);
