//! `SELECT count(*) FROM (<query>) s`: counts the rows of any query in
//! the database, e.g. a query with a `LIMIT` for a bounded count, without
//! sending the rows.

use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::result::QueryResult;
use diesel::sql_types::BigInt;

/// The number of rows `Q` returns, counted by PostgreSQL.
#[derive(Debug, Clone, Copy)]
pub struct CountRows<Q>(pub Q);

impl<Q> QueryId for CountRows<Q> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q> Query for CountRows<Q> {
    type SqlType = BigInt;
}

impl<Q: QueryFragment<Pg>> QueryFragment<Pg> for CountRows<Q> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql("SELECT count(*) FROM (");
        self.0.walk_ast(out.reborrow())?;
        out.push_sql(") s");
        Ok(())
    }
}
