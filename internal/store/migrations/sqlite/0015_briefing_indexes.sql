-- Indexes for a briefing at district scale (issue 12): the reports of the
-- campaign's items due in the period are found by (item_id, due_date)
-- instead of reading every report of each item; the reports returned in the
-- period are found by (state, at) instead of probing every report's
-- revisions; a ledger's rows are walked in row order (ledger_id, row_id), so
-- the table is read in the order it was written and no sort is needed.
CREATE INDEX reports_item_due ON reports(item_id, due_date);
CREATE INDEX report_revisions_state_at ON report_revisions(state, at);
CREATE INDEX ledger_row_revisions_ledger_row ON ledger_row_revisions(ledger_id, row_id);
