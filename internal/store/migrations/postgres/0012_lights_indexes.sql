-- Indexes for the lights and roll-ups at district scale (2,000 items × 52
-- weekly reports): the latest actual per target and per item recorded before
-- a cutoff is one index step from the end of (…, recorded_at, id), whatever
-- the length of the history, and its value is read from the index too; the
-- revisions of a report are found in time order.
DROP INDEX target_actuals_target;
CREATE INDEX target_actuals_target ON target_actuals(target_id, recorded_at, id, value);
DROP INDEX investment_actuals_item;
CREATE INDEX investment_actuals_item ON investment_actuals(item_id, recorded_at, id, amount);
DROP INDEX report_revisions_report;
CREATE INDEX report_revisions_report ON report_revisions(report_id, at, id);
