//! Least privilege in the database. Two roles, neither a superuser:
//! - the owner ([`OWNER`] in the embedded cluster; `DATABASE_OWNER_URL`'s
//!   user otherwise) owns the tables and runs the migrations and the
//!   maintenance commands (`generate`, `import`, ...);
//! - the application role ([`APP`]; `DATABASE_URL`'s user) answers the
//!   requests, with the rights the code uses and no more: reading and
//!   changing rows, never the tables themselves; the audit log only read
//!   and added to, its one change being the erasure's redaction through
//!   `audit_redact` (migration 000024); the migrations' own table read-only.
//!
//! The rights are given again after every migration run ([`grant_app`]),
//! so a table a new migration adds is covered without a step of its own.

use anyhow::{Context, Result};
use diesel::QueryableByName;
use diesel::sql_types::{Bool, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};

use super::quote_ident;

/// The embedded cluster's owner role.
pub const OWNER: &str = "nm_owner";
/// The embedded cluster's application role.
pub const APP: &str = "nm_app";

/// Creates [`OWNER`] and [`APP`] unless they exist, as the cluster's
/// superuser. Both may log in (the embedded cluster takes connections only
/// on its own socket); neither may create roles or databases.
pub async fn create_roles(superuser: &mut AsyncPgConnection) -> Result<()> {
    for role in [OWNER, APP] {
        // Two processes starting at once may both try: the loser's
        // duplicate is not an error.
        superuser
            .batch_execute(&format!(
                "DO $$ BEGIN
                     CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
                 EXCEPTION WHEN duplicate_object THEN NULL;
                 END $$",
                quote_ident(role)
            ))
            .await
            .with_context(|| format!("cannot create the database role {role}"))?;
    }
    Ok(())
}

/// Hands the database `dbname` and everything in its `public` schema to
/// [`OWNER`], as the superuser connected to that database. A database made
/// before the roles existed belongs to the superuser, and its tables with
/// it; once handed over this changes nothing. (`REASSIGN OWNED BY postgres`
/// would do it in one statement, but refuses the bootstrap superuser.)
pub async fn hand_to_owner(superuser: &mut AsyncPgConnection, dbname: &str) -> Result<()> {
    let owner = quote_ident(OWNER);
    superuser
        .batch_execute(&format!(
            "BEGIN;
             SELECT pg_advisory_xact_lock(7383002);
             ALTER DATABASE {db} OWNER TO {owner};
             DO $$
             DECLARE r record;
             BEGIN
                 -- Tables first: their indexes and the sequences of their
                 -- identity columns follow them.
                 FOR r IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c
                          JOIN pg_namespace n ON n.oid = c.relnamespace
                          WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
                            AND pg_get_userbyid(c.relowner) <> '{bare}'
                 LOOP
                     EXECUTE format('ALTER %s %s OWNER TO {owner}',
                         CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                        WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, r.name);
                 END LOOP;
                 FOR r IN SELECT c.oid::regclass AS name FROM pg_class c
                          JOIN pg_namespace n ON n.oid = c.relnamespace
                          WHERE n.nspname = 'public' AND c.relkind = 'S'
                            AND pg_get_userbyid(c.relowner) <> '{bare}'
                 LOOP
                     EXECUTE format('ALTER SEQUENCE %s OWNER TO {owner}', r.name);
                 END LOOP;
                 FOR r IN SELECT p.oid::regprocedure AS name FROM pg_proc p
                          JOIN pg_namespace n ON n.oid = p.pronamespace
                          WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> '{bare}'
                 LOOP
                     EXECUTE format('ALTER ROUTINE %s OWNER TO {owner}', r.name);
                 END LOOP;
             END $$;
             COMMIT;",
            db = quote_ident(dbname),
            bare = OWNER,
        ))
        .await
        .with_context(|| format!("cannot hand the database {dbname} to the role {OWNER}"))
}

#[derive(QueryableByName)]
struct Me {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Bool)]
    superuser: bool,
}

/// Who a connection runs as, and whether that role is a superuser.
pub async fn whoami(conn: &mut AsyncPgConnection) -> Result<(String, bool)> {
    let me: Me = diesel::sql_query(
        "SELECT current_user::text AS name, rolsuper AS superuser FROM pg_roles \
         WHERE rolname = current_user",
    )
    .get_result(conn)
    .await
    .context("cannot read the database role")?;
    Ok((me.name, me.superuser))
}

/// The application role's rights, given by the owner (connected as
/// `owner`) after the migrations. Nothing to do when one role does both.
pub async fn grant_app(owner: &mut AsyncPgConnection, app: &str) -> Result<()> {
    let (me, _) = whoami(owner).await?;
    if me == app {
        return Ok(());
    }
    let app = quote_ident(app);
    owner
        .batch_execute(&format!(
            // One instance at a time: two granting on one table at the same
            // moment would fail with "tuple concurrently updated".
            "BEGIN;
             SELECT pg_advisory_xact_lock(7383001);
             GRANT USAGE ON SCHEMA public TO {app};
             GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {app};
             GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {app};
             REVOKE INSERT, UPDATE, DELETE ON __diesel_schema_migrations FROM {app};
             REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM {app};
             GRANT EXECUTE ON FUNCTION audit_redact(text, bigint[]) TO {app};
             COMMIT;"
        ))
        .await
        .with_context(|| format!("cannot give the application role {app} its rights"))
}
