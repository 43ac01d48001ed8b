DROP FUNCTION audit_redact(text, bigint[]);
