-- The audit log keeps that a person's details changed, never the values:
-- the rows written before are redacted, field by field (the same list as
-- `audit::PERSONAL`).
DO $$
DECLARE
    p record;
BEGIN
    FOR p IN SELECT * FROM (VALUES
        ('mother', 'full_name'), ('mother', 'phone'), ('mother', 'email'),
        ('mother', 'note'), ('mother', 'reason'),
        ('family', 'name'), ('family', 'address'), ('family', 'phone'),
        ('family', 'email'), ('family', 'note'), ('family', 'reason'),
        ('visit', 'note'), ('visit', 'next_step'), ('visit', 'void_reason'),
        ('referral', 'outcome_note'),
        ('event', 'note'),
        ('user', 'email'), ('user', 'display_name')
    ) AS personal (entity, field)
    LOOP
        UPDATE audit_events
           SET changes = changes || jsonb_build_object(p.field, '{"changed": true}'::jsonb)
         WHERE entity = p.entity AND changes ? p.field;
    END LOOP;
END
$$;
