//! Loading millions of visits at once. Below a million the visits go in
//! as any others. From a million on, inside the run's one transaction:
//! the indexes of `visits` and `visit_topics` that hold no key are dropped
//! before the load and rebuilt after it (a sort each, instead of one
//! insertion per row into each of them), and the row trigger that
//! re-checks each visit's rules (`visits_check_rules`) is off meanwhile:
//! the generated visits keep those rules by construction (each falls in
//! its mother's active window, and families close only after their last
//! visit). The tables are locked until the run commits, so a large run is
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
    let mut sql = String::from("ALTER TABLE visits DISABLE TRIGGER visits_check_rules;");
    for i in &indexes {
        sql.push_str(&format!("DROP INDEX {};", i.name));
    }
    conn.batch_execute(&sql).await?;
    Ok(indexes)
}

/// Rebuilds the indexes (with PostgreSQL's parallel workers) and turns the
/// rules trigger on again.
pub(super) async fn finish(conn: &mut AsyncPgConnection, indexes: Vec<Index>) -> Result<()> {
    let mut sql = String::from(
        "SET LOCAL max_parallel_maintenance_workers = 2;
         ALTER TABLE visits ENABLE TRIGGER visits_check_rules;",
    );
    for i in &indexes {
        sql.push_str(&i.def);
        sql.push(';');
    }
    conn.batch_execute(&sql).await?;
    Ok(())
}
