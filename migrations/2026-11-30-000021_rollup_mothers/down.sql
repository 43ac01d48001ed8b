DELETE FROM report_month_counts WHERE dimension = 'mother';
ALTER TABLE report_month_counts DROP CONSTRAINT report_month_counts_dimension_check;
ALTER TABLE report_month_counts ADD CONSTRAINT report_month_counts_dimension_check
    CHECK (dimension IN ('kind', 'district', 'topic', 'referral', 'referral_done', 'new_family'));
