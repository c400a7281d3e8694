-- Portal profiles (docs/profiles.md): two facts the rules read that the contract shape never needed as columns.
-- registered: the dossier's status is one of its profile's `new` values (only registered, not expected on
--   national). Before profiles that was a provincial status code `NEW`, so existing rows are filled from it.
-- unknown: the canonical fields the record does not give (reconcile/canonical_field.hpp, one bit per field in
--   the order of docs/profiles.md#canonical-fields); rules needing one are not evaluated for that side.
ALTER TABLE records ADD COLUMN registered INTEGER NOT NULL DEFAULT 0;
ALTER TABLE records ADD COLUMN unknown INTEGER NOT NULL DEFAULT 0;
UPDATE records SET registered = 1 WHERE side = 'provincial' AND status_code = 'NEW';
