-- A change's mark that a month must be recounted is a row of its own, never
-- merged with another: with the primary key, a visit saved while the
-- roll-up worker recounted its month waited for the worker (its mark
-- conflicted with the one the worker was removing), and at ten million
-- visits, where recounting a busy month takes seconds, visit logging
-- stalled. The worker now reads the marks without locking them and, in a
-- REPEATABLE READ transaction, removes only those it read; a mark made
-- meanwhile stays for the next round (`reports::rollup`).
ALTER TABLE report_stale_months DROP CONSTRAINT report_stale_months_pkey;
CREATE INDEX report_stale_months_idx ON report_stale_months (programme_id, month);
