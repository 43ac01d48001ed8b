-- The roll-ups also count each mother's visits per month (dimension
-- `mother`, key = her id): the coordinator's home shows this month's
-- visits per mother, which at ten million visits took a hundred thousand
-- index entries a page. Every month counted so far is recounted by the
-- worker to add them.
ALTER TABLE report_month_counts DROP CONSTRAINT report_month_counts_dimension_check;
ALTER TABLE report_month_counts ADD CONSTRAINT report_month_counts_dimension_check
    CHECK (dimension IN ('kind', 'district', 'topic', 'referral', 'referral_done', 'new_family', 'mother'));
INSERT INTO report_stale_months
    SELECT DISTINCT programme_id, month FROM report_month_counts
    ON CONFLICT DO NOTHING;
