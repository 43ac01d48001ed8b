-- Least privilege (db::roles): requests run as an application role that may
-- read and add audit rows but neither change nor delete them. The one change
-- it may make goes through this function, which the erasure of a record
-- uses (privacy::erase): it replaces the values of that record kind's
-- personal fields in the record's audit rows with {"changed": true}, as rows
-- are written today (audit::without_personal), and can do nothing else: the
-- fields are fixed here, the same as audit::PERSONAL (a test holds them
-- equal). It runs with its owner's rights; the owner grants EXECUTE to the
-- application role.
CREATE FUNCTION audit_redact(p_entity text, p_ids bigint[])
RETURNS bigint
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    WITH fields AS (
        SELECT CASE p_entity
            WHEN 'mother' THEN ARRAY['full_name', 'phone', 'email', 'note', 'reason']
            WHEN 'family' THEN ARRAY['name', 'address', 'phone', 'email', 'note', 'reason']
            WHEN 'visit' THEN ARRAY['note', 'next_step', 'void_reason']
            WHEN 'referral' THEN ARRAY['outcome_note']
            WHEN 'event' THEN ARRAY['note']
            WHEN 'user' THEN ARRAY['email', 'display_name']
            ELSE ARRAY[]::text[]
        END AS names
    ),
    redacted AS (
        UPDATE public.audit_events a
        SET changes = (
            SELECT jsonb_object_agg(
                       e.key,
                       CASE WHEN e.key = ANY (f.names) THEN '{"changed": true}'::jsonb
                            ELSE e.value END)
            FROM jsonb_each(a.changes) e)
        FROM fields f
        WHERE a.entity = p_entity
          AND a.entity_id = ANY (p_ids)
          AND jsonb_typeof(a.changes) = 'object'
          AND EXISTS (
              SELECT 1 FROM jsonb_each(a.changes) e
              WHERE e.key = ANY (f.names) AND e.value <> '{"changed": true}'::jsonb)
        RETURNING 1)
    SELECT count(*) FROM redacted
$$;

REVOKE ALL ON FUNCTION audit_redact(text, bigint[]) FROM PUBLIC;
