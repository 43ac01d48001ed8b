DROP TABLE audit_events;
DROP TABLE districts;
DROP TABLE programmes;
