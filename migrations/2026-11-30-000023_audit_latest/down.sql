CREATE INDEX audit_events_occurred_at_idx ON audit_events (occurred_at);
DROP INDEX audit_events_occurred_at_id_idx;
