-- Alerts (docs/configuration.md#alerts): one row per episode of a rule's condition about one subject, from the cycle
-- that found it true to the cycle that found it clear, and one row per message owed to a configured target about it.
-- A delivery row is written in the transaction that opens or resolves its episode and marked once the target took it,
-- so a restart sends what is still owed and never sends twice what was taken.
CREATE TABLE alert_episodes (
  id          INTEGER PRIMARY KEY,
  rule        TEXT    NOT NULL,  -- sync_rate_below_target, sync_rate_below_threshold, falsely_closed, poll_stale
  subject     TEXT    NOT NULL,  -- a unit code or 'province', a dossier key, a side
  opened_at   INTEGER NOT NULL,
  resolved_at INTEGER,           -- NULL while the condition holds
  details     TEXT    NOT NULL,  -- JSON object: the values the messages quote (when it fired)
  resolution  TEXT               -- JSON object: the values when it cleared
);
-- At most one open episode per rule and subject: opening one that is already open is a no-op.
CREATE UNIQUE INDEX alert_episodes_open ON alert_episodes (rule, subject) WHERE resolved_at IS NULL;

CREATE TABLE alert_deliveries (
  episode_id   INTEGER NOT NULL REFERENCES alert_episodes (id),
  event        TEXT    NOT NULL CHECK (event IN ('fired', 'resolved')),
  target       TEXT    NOT NULL,  -- the target's name in the configuration
  created_at   INTEGER NOT NULL,
  delivered_at INTEGER,           -- NULL while owed
  attempts     INTEGER NOT NULL DEFAULT 0,
  last_error   TEXT,
  PRIMARY KEY (episode_id, event, target)
) WITHOUT ROWID;
CREATE INDEX alert_deliveries_owed ON alert_deliveries (target, created_at) WHERE delivered_at IS NULL;
