DROP INDEX report_stale_months_idx;
DELETE FROM report_stale_months a USING report_stale_months b
    WHERE a.ctid < b.ctid AND a.programme_id = b.programme_id AND a.month = b.month;
ALTER TABLE report_stale_months ADD PRIMARY KEY (programme_id, month);
