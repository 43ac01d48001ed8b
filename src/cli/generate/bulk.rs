//! Loading millions of visits at once. Below a million the visits go in
//! as any others. From a million on, inside the run's one transaction:
//! the indexes of `visits` and `visit_topics` that hold no key are dropped
//! before the load and rebuilt after it (a sort each, instead of one
//! insertion per row into each of them), the row trigger that
//! re-checks each visit's rules (`visits_check_rules`) is off meanwhile
//! (the generated visits keep those rules by construction: each falls in
//! its mother's active window, and families close only after their last
//! visit), and so is the one that moves each family's last visit date,
//! which is set once for all families at the end. The tables are locked until the run commits, so a large run is
//! for a database nobody is using (the benchmark's, a new installation's).

use anyhow::Result;
use diesel::sql_types::Text;
use diesel_async::{AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};

/// From this many visits on, the load is a bulk load.
pub(super) const BULK_VISITS: u64 = 1_000_000;

/// An index to rebuild: its name and its definition.
#[derive(diesel::QueryableByName)]
pub(super) struct Index {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    def: String,
}

/// Drops the indexes that hold no key and turns the rules trigger off;
/// returns what `finish` rebuilds.
pub(super) async fn prepare(conn: &mut AsyncPgConnection) -> Result<Vec<Index>> {
    let indexes: Vec<Index> = diesel::sql_query(
        "SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
         FROM pg_index i
         WHERE i.indrelid IN ('visits'::regclass, 'visit_topics'::regclass)
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
         ORDER BY 1",
    )
    .load(conn)
    .await?;
    let mut sql = String::from(
        "ALTER TABLE visits DISABLE TRIGGER visits_check_rules;
         ALTER TABLE visits DISABLE TRIGGER visits_last_visit_insert;",
    );
    for i in &indexes {
        sql.push_str(&format!("DROP INDEX {};", i.name));
    }
    conn.batch_execute(&sql).await?;
    Ok(indexes)
}

/// Sets each family's last visit date, rebuilds the indexes (with
/// PostgreSQL's parallel workers) and turns the triggers on again.
pub(super) async fn finish(conn: &mut AsyncPgConnection, indexes: Vec<Index>) -> Result<()> {
    let mut sql = String::from(
        "SET LOCAL max_parallel_maintenance_workers = 2;
         ALTER TABLE visits ENABLE TRIGGER visits_check_rules;
         ALTER TABLE visits ENABLE TRIGGER visits_last_visit_insert;
         UPDATE families f SET last_visit_on = x.last
         FROM (SELECT family_id, max(visited_on) AS last FROM visits
               WHERE family_id IS NOT NULL AND voided_at IS NULL GROUP BY 1) x
         WHERE f.id = x.family_id AND f.last_visit_on IS DISTINCT FROM x.last;",
    );
    for i in &indexes {
        sql.push_str(&i.def);
        sql.push(';');
    }
    conn.batch_execute(&sql).await?;
    Ok(())
}
