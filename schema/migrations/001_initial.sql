-- The first ledger schema. Times are integer Unix seconds; sides are 'provincial' / 'national'.

CREATE TABLE runs (
  id              INTEGER PRIMARY KEY,
  mode            TEXT    NOT NULL CHECK (mode IN ('offline', 'service')),
  started_at      INTEGER NOT NULL,
  ended_at        INTEGER,
  as_of           INTEGER NOT NULL,               -- T of docs/rules.md
  grace_s         INTEGER NOT NULL,               -- G of docs/rules.md
  provincial_read INTEGER NOT NULL DEFAULT 0,
  national_read   INTEGER NOT NULL DEFAULT 0,
  raised          INTEGER NOT NULL DEFAULT 0,
  resolved        INTEGER NOT NULL DEFAULT 0,
  reopened        INTEGER NOT NULL DEFAULT 0,
  errors          INTEGER NOT NULL DEFAULT 0,
  status          TEXT    NOT NULL DEFAULT 'running'
                          CHECK (status IN ('running', 'ok', 'partial', 'failed')),
  message         TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX runs_by_mode ON runs (mode, id);

-- The latest record of each side per key. The facts columns are what the rules read, so re-evaluation needs
-- no JSON. The canonical dossier body lives in record_bodies: keeping ~1 KB of JSON out of this table keeps its
-- rows small, so scans for evaluation stay in cache and marking a record seen rewrites a short row only.
CREATE TABLE records (
  id             INTEGER PRIMARY KEY,
  key            TEXT    NOT NULL,
  side           TEXT    NOT NULL CHECK (side IN ('provincial', 'national')),
  code           TEXT    NOT NULL,
  unit_code      TEXT    NOT NULL,
  unit_name      TEXT    NOT NULL,
  procedure_code TEXT    NOT NULL,
  status_code    TEXT    NOT NULL,
  status         INTEGER,                          -- national numbering; NULL when the code is unknown
  channel        INTEGER,
  online_payment INTEGER,
  digitized      INTEGER,
  received       INTEGER,
  due            INTEGER,
  completed      INTEGER,
  updated        INTEGER,
  result_count   INTEGER NOT NULL,
  steps_ended    INTEGER NOT NULL,
  step_open      INTEGER NOT NULL,
  last_step_end  INTEGER,
  hash           TEXT    NOT NULL,                 -- SHA-256 hex of the body
  seen_run       INTEGER NOT NULL REFERENCES runs (id),
  changed_run    INTEGER NOT NULL REFERENCES runs (id),
  UNIQUE (key, side)                               -- both sides of a key next to each other
);
CREATE INDEX records_by_changed_run ON records (changed_run);
CREATE INDEX records_by_due ON records (due) WHERE due IS NOT NULL AND (status IS NULL OR status NOT IN (9, 10));
CREATE INDEX records_by_updated ON records (updated) WHERE updated IS NOT NULL;

-- Canonical dossier JSON (dvc::to_json), one row per record.
CREATE TABLE record_bodies (
  record_id INTEGER PRIMARY KEY REFERENCES records (id),
  body      TEXT    NOT NULL
);

CREATE TABLE findings (
  id         INTEGER PRIMARY KEY,
  key        TEXT    NOT NULL,
  kind       TEXT    NOT NULL,
  reason     TEXT    NOT NULL,
  unit_code  TEXT    NOT NULL,
  state      TEXT    NOT NULL CHECK (state IN ('open', 'resolved', 'reopened')),
  first_seen INTEGER NOT NULL,
  last_seen  INTEGER NOT NULL,
  details    TEXT    NOT NULL DEFAULT '{}',
  ack_note   TEXT,
  ack_by     TEXT,
  ack_at     INTEGER,
  UNIQUE (key, kind)
);
CREATE INDEX findings_by_state ON findings (state, kind);
CREATE INDEX findings_by_unit ON findings (unit_code, state);
CREATE INDEX findings_by_last_seen ON findings (last_seen);

-- Append-only audit trail. Each row's hash covers its content and the previous row's hash; AUTOINCREMENT keeps
-- ids of deleted rows from being reused, so a deletion cannot be papered over with a new row.
CREATE TABLE events (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  finding_id INTEGER NOT NULL REFERENCES findings (id),
  at         INTEGER NOT NULL,
  run_id     INTEGER REFERENCES runs (id),
  type       TEXT    NOT NULL CHECK (type IN ('opened', 'seen_changed', 'resolved', 'reopened', 'ack')),
  from_state TEXT,
  to_state   TEXT    NOT NULL,
  cause      TEXT    NOT NULL,
  actor      TEXT,
  prev_hash  TEXT    NOT NULL,
  hash       TEXT    NOT NULL
);
CREATE INDEX events_by_finding ON events (finding_id, id);

-- The last event's id and hash, written with every append: deleting the newest events leaves a chain that is
-- consistent on its own, and only this row shows that it got shorter.
CREATE TABLE chain_head (
  singleton     INTEGER PRIMARY KEY CHECK (singleton = 1),
  last_event_id INTEGER NOT NULL,
  last_hash     TEXT    NOT NULL
);

CREATE TABLE cursors (
  side       TEXT    PRIMARY KEY CHECK (side IN ('provincial', 'national')),
  value      TEXT    NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE data_errors (
  id      INTEGER PRIMARY KEY,
  run_id  INTEGER NOT NULL REFERENCES runs (id),
  side    TEXT    CHECK (side IN ('provincial', 'national')),
  source  TEXT    NOT NULL,
  key     TEXT,
  message TEXT    NOT NULL
);
CREATE INDEX data_errors_by_run ON data_errors (run_id);
