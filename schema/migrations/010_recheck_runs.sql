-- A recheck (docs/cli.md#recheck) fetches one dossier from both portals and re-evaluates it in a run of its own,
-- so its records and events carry a run like a poll's. Such a run names the dossier it rechecked; it is no
-- complete evaluation: the windows of the next cycle, the sync rates' basis and the freshness banner ignore it.
ALTER TABLE runs ADD COLUMN recheck_key TEXT;
