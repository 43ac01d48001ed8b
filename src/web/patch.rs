//! Partial updates through the API (`PATCH`): the fields sent replace the
//! record's, the others stay, and the result goes through the same use
//! case as a whole `PUT`. The record's row is locked first, in the same
//! transaction as the update, so two PATCHes of different fields of one
//! record both take effect (the second reads what the first wrote).

use diesel::sql_types::BigInt;
use diesel_async::{AnsiTransactionManager, AsyncPgConnection, RunQueryDsl, TransactionManager};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::bulk::One;
use super::input::merge;
use crate::error::{AppError, AppResult};

/// The tables a PATCH locks a row of (a name is spliced into SQL, so only
/// these).
#[derive(Debug, Clone, Copy)]
pub enum Table {
    Programmes,
    Districts,
    Mothers,
    Families,
    Courses,
    Modules,
    Funders,
    Grants,
    Expenses,
    Topics,
    Participants,
    Partnerships,
    Questionnaires,
}

impl Table {
    fn name(self) -> &'static str {
        match self {
            Table::Programmes => "programmes",
            Table::Districts => "districts",
            Table::Mothers => "mothers",
            Table::Families => "families",
            Table::Courses => "courses",
            Table::Modules => "course_modules",
            Table::Funders => "funders",
            Table::Grants => "grants",
            Table::Expenses => "expenses",
            Table::Topics => "topics",
            Table::Participants => "participants",
            Table::Partnerships => "partnerships",
            Table::Questionnaires => "questionnaires",
        }
    }
}

/// Applies `patch` to the record `id` of `table`: `current` reads it (in
/// the caller's scope: not found otherwise) as the input a form would
/// show, the patch's fields replace those, and `apply` saves the whole,
/// all in one transaction with the row locked. (Functions, not closures:
/// see [`super::bulk::create_all`].)
pub async fn patch<C: Sync, I, T>(
    conn: &mut AsyncPgConnection,
    ctx: &C,
    table: Table,
    id: i64,
    patch: serde_json::Value,
    current: for<'a> fn(&'a mut AsyncPgConnection, &'a C) -> One<'a, I>,
    apply: for<'a> fn(&'a mut AsyncPgConnection, &'a C, &'a I) -> One<'a, T>,
) -> AppResult<T>
where
    I: Serialize + DeserializeOwned + Send + Sync,
{
    if !patch.is_object() {
        return Err(AppError::BadRequest("a JSON object was expected".into()));
    }
    AnsiTransactionManager::begin_transaction(conn).await?;
    let result = async {
        diesel::sql_query(format!(
            "SELECT id FROM {} WHERE id = $1 FOR UPDATE",
            table.name()
        ))
        .bind::<BigInt, _>(id)
        .execute(conn)
        .await?;
        let base = current(conn, ctx).await?;
        let input = merge(&base, patch)?;
        apply(conn, ctx, &input).await
    }
    .await;
    match result {
        Ok(v) => {
            AnsiTransactionManager::commit_transaction(conn).await?;
            Ok(v)
        }
        Err(e) => {
            if let Err(rollback) = AnsiTransactionManager::rollback_transaction(conn).await {
                tracing::warn!(error = %rollback, "rollback after a refused PATCH");
            }
            Err(e)
        }
    }
}
